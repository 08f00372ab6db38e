import Foundation
import GRDB

/// Decoding rows of the schema's tables into the store's value types.
extension SessionStore {
    static func fetchSession(id: Int64, _ db: Database, path: String) throws -> Session {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM sessions WHERE id = ?", arguments: [id]) else {
            throw StoreError.unknownSession(path: path, id: id)
        }
        return session(from: row)
    }

    static func fetchRun(id: Int64, _ db: Database, path: String) throws -> Run {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]) else {
            throw StoreError.unknownRun(path: path, id: id)
        }
        return run(from: row)
    }

    static func session(from row: Row) -> Session {
        Session(id: row["id"],
                info: SessionInfo(filePath: row["file_path"], contentHash: row["content_hash"],
                                  duration: row["duration_s"], frameWidth: row["frame_width"],
                                  frameHeight: row["frame_height"], recordedFPS: row["recorded_fps"]),
                createdAt: row["created_at"] ?? Date(timeIntervalSince1970: 0),
                label: row.hasColumn("label") ? row["label"] : nil)   // no column before v3-session-labels
    }

    static func run(from row: Row) -> Run {
        let status: String = row["status"]
        return Run(id: row["id"], sessionID: row["session_id"],
                   settings: RunSettings(modelName: row["model_name"], modelHash: row["model_hash"],
                                         sampleRate: row["sample_rate_hz"], detector: row["detector"],
                                         detectorParameters: row["detector_params"]),
                   status: RunStatus(rawValue: status) ?? .failed, message: row["message"],
                   participantTrack: row["participant_track"],
                   startedAt: row["started_at"] ?? Date(timeIntervalSince1970: 0), finishedAt: row["finished_at"])
    }

    static func sample(from row: Row) -> SampleRecord {
        let time: Double = row["time_s"]
        guard row["face"] as Int == 1 else { return .noFace(at: time) }
        var scores: EmotionScores?
        if let first: Double = row["angry"] {
            scores = EmotionScores([first] + Emotion.allCases.dropFirst().map { row[$0.name] ?? 0 })
        }
        let box = FaceBox(x: row["box_x"] ?? 0, y: row["box_y"] ?? 0, width: row["box_w"] ?? 0, height: row["box_h"] ?? 0)
        return SampleRecord(time: time, face: DetectedFace(trackID: row["track_id"], isParticipant: row["is_participant"],
                                                           box: box, confidence: row["confidence"], scores: scores))
    }
}
