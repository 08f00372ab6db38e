import Foundation
import GRDB

/// The writer API the analysis pipeline uses.
extension SessionStore {
    /// Returns the session whose content hash is `info.contentHash`, creating it when there is none.
    ///
    /// An existing session takes the new file path (the file may have moved) and every metadata value
    /// that `info` knows; values `info` leaves nil keep what was stored.
    @discardableResult
    public func findOrCreateSession(_ info: SessionInfo, now: Date = Date()) throws -> Session {
        try info.validate()
        return try write { db in
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM sessions WHERE content_hash = ?",
                                          arguments: [info.contentHash]) {
                let stored = SessionStore.session(from: row)
                var merged = stored.info
                merged.filePath = info.filePath
                merged.duration = info.duration ?? merged.duration
                merged.frameWidth = info.frameWidth ?? merged.frameWidth
                merged.frameHeight = info.frameHeight ?? merged.frameHeight
                merged.recordedFPS = info.recordedFPS ?? merged.recordedFPS
                try db.execute(sql: """
                    UPDATE sessions SET file_path = ?, duration_s = ?, frame_width = ?, frame_height = ?,
                        recorded_fps = ? WHERE id = ?
                    """, arguments: [merged.filePath, merged.duration, merged.frameWidth, merged.frameHeight,
                                     merged.recordedFPS, stored.id])
                return Session(id: stored.id, info: merged, createdAt: stored.createdAt)
            }
            try db.execute(sql: """
                INSERT INTO sessions (file_path, content_hash, duration_s, frame_width, frame_height,
                    recorded_fps, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [info.filePath, info.contentHash, info.duration, info.frameWidth,
                                 info.frameHeight, info.recordedFPS, now])
            return try SessionStore.fetchSession(id: db.lastInsertedRowID, db, path: path)
        }
    }

    /// Starts an analysis run of a session and returns its id. The run is `running` until
    /// `finishRun(_:)` or `failRun(_:message:status:)`; until it completes nothing reports it, and the
    /// session's earlier runs stay as they are.
    public func beginRun(session sessionID: Int64, settings: RunSettings, now: Date = Date()) throws -> Int64 {
        try settings.validate()
        let parameters = try settings.canonicalParameters()
        return try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM sessions WHERE id = ?", arguments: [sessionID]) != nil else {
                throw StoreError.unknownSession(path: path, id: sessionID)
            }
            try db.execute(sql: """
                INSERT INTO runs (session_id, model_name, model_hash, sample_rate_hz, detector, detector_params,
                    status, started_at) VALUES (?, ?, ?, ?, ?, ?, 'running', ?)
                """, arguments: [sessionID, settings.modelName, settings.modelHash, settings.sampleRate,
                                 settings.detector, parameters, now])
            return db.lastInsertedRowID
        }
    }

    /// Appends sample records to a running run in one transaction (all or none are written).
    /// Call it once per batch (hundreds to thousands of records).
    public func appendSamples(_ samples: [SampleRecord], toRun runID: Int64) throws {
        for sample in samples { try sample.validate() }
        try write { db in
            try requireRunning(runID, db)
            let statement = try db.cachedStatement(sql: """
                INSERT INTO samples (run_id, time_s, face, track_id, is_participant, box_x, box_y, box_w, box_h,
                    confidence, angry, disgust, fear, happy, neutral, sad, surprise, dominant, valence)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for sample in samples {
                var values: [(any DatabaseValueConvertible)?] = [runID, sample.time]
                if let face = sample.face {
                    values += [1, face.trackID, face.isParticipant ? 1 : 0,
                               face.box.x, face.box.y, face.box.width, face.box.height, face.confidence]
                    if let scores = face.scores {
                        values += scores.probabilities.map { $0 as (any DatabaseValueConvertible)? }
                        values += [scores.dominant.name, scores.valence]
                    } else {
                        values += Array(repeating: nil, count: Emotion.allCases.count + 2)
                    }
                } else {
                    // face, track_id, is_participant, then no box, confidence, probabilities or derived values.
                    values += [0, nil, 0] + Array(repeating: nil, count: 5 + Emotion.allCases.count + 2)
                }
                statement.setUncheckedArguments(StatementArguments(values))
                try statement.execute()
            }
        }
    }

    /// Marks the faces of `track` as the participant's (and every other face as not), and records the
    /// track on the run. Pass nil when no face qualified: the run then has no participant samples.
    /// `joining` first gives the faces of other tracks the id of the track they were joined to (track id →
    /// new id; tracking joins the pieces of one seat), all in one transaction. Throws
    /// `StoreError.invalidInput` (and changes nothing) when that would give the participant two faces at
    /// one timestamp.
    public func markParticipant(track: Int64?, joining: [Int64: Int64] = [:], inRun runID: Int64) throws {
        try write { db in
            try requireRunning(runID, db)
            for (from, to) in joining.sorted(by: { $0.key < $1.key }) where from != to {
                try db.execute(sql: "UPDATE samples SET track_id = ? WHERE run_id = ? AND track_id = ?",
                               arguments: [to, runID, from])
            }
            if let track {
                if let doubled = try Double.fetchOne(db, sql: """
                    SELECT time_s FROM samples WHERE run_id = ? AND track_id = ?
                    GROUP BY time_s HAVING COUNT(*) > 1 ORDER BY time_s LIMIT 1
                    """, arguments: [runID, track]) {
                    throw StoreError.invalidInput("participant track \(track) would have two faces at \(doubled) s")
                }
            }
            try db.execute(sql: "UPDATE runs SET participant_track = ? WHERE id = ?", arguments: [track, runID])
            try db.execute(sql: "UPDATE samples SET is_participant = 0 WHERE run_id = ? AND is_participant = 1",
                           arguments: [runID])
            if let track {
                try db.execute(sql: "UPDATE samples SET is_participant = 1 WHERE run_id = ? AND track_id = ?",
                               arguments: [runID, track])
            }
        }
    }

    /// Marks a running run complete. In the same transaction it deletes the session's other runs with
    /// the same settings (model hash, sampling rate, detector and parameters) — except runs with those
    /// settings that are still running and started after this one — so a re-analysis replaces the old
    /// run only once it has completed. `warnings` (problems with the file that did not stop the analysis,
    /// such as a truncated recording) are kept in the run's `message` for reports to repeat.
    public func finishRun(_ runID: Int64, warnings: String? = nil, now: Date = Date()) throws {
        try write { db in
            try requireRunning(runID, db)
            try db.execute(sql: "UPDATE runs SET status = 'complete', message = ?, finished_at = ? WHERE id = ?",
                           arguments: [warnings, now, runID])
            try db.execute(sql: """
                DELETE FROM runs WHERE id IN (
                    SELECT other.id FROM runs AS other JOIN runs AS this ON this.id = ?1
                    WHERE other.id <> this.id AND other.session_id = this.session_id
                      AND other.model_hash = this.model_hash AND other.sample_rate_hz = this.sample_rate_hz
                      AND other.detector = this.detector AND other.detector_params = this.detector_params
                      AND (other.status <> 'running' OR other.id < this.id))
                """, arguments: [runID])
        }
    }

    /// Ends a running run without completing it: `.failed` after an error, `.interrupted` after Ctrl-C or
    /// a termination signal. Its samples stay for inspection; nothing reports them.
    public func failRun(_ runID: Int64, message: String, status: RunStatus = .failed, now: Date = Date()) throws {
        guard status == .failed || status == .interrupted else {
            throw StoreError.invalidInput("a run can only be failed as 'failed' or 'interrupted', not '\(status.rawValue)'")
        }
        try write { db in
            try requireRunning(runID, db)
            try db.execute(sql: "UPDATE runs SET status = ?, message = ?, finished_at = ? WHERE id = ?",
                           arguments: [status.rawValue, message, now, runID])
        }
    }

    /// Replaces every task and point event of a session with `tasks`, in their order (names may repeat).
    /// - Throws: `StoreError.invalidInput` for an empty name, a negative start, or a task's end not after
    ///   its start (an event's end must equal its start).
    public func replaceTasks(_ tasks: [TaskSegment], session sessionID: Int64) throws {
        try TaskSegment.validate(tasks)
        try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM sessions WHERE id = ?", arguments: [sessionID]) != nil else {
                throw StoreError.unknownSession(path: path, id: sessionID)
            }
            try db.execute(sql: "DELETE FROM tasks WHERE session_id = ?", arguments: [sessionID])
            for (position, task) in tasks.enumerated() {
                try db.execute(sql: """
                    INSERT INTO tasks (session_id, position, name, start_s, end_s, kind, notes) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [sessionID, position, task.name, task.start, task.end, task.kind.rawValue, task.notes])
            }
        }
    }

    /// Sets the participant label of a session (nil: back to the default from its file). A label is
    /// non-empty, not a number, `latest` or `all` (those name sessions otherwise), and no other session's.
    /// - Throws: `StoreError.invalidInput` naming the problem, `StoreError.unknownSession`.
    public func setLabel(_ label: String?, session sessionID: Int64) throws {
        if let label {
            let trimmed = label.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, trimmed == label, !label.contains(where: \.isNewline) else {
                throw StoreError.invalidInput("a label is a non-empty name without surrounding spaces or line breaks")
            }
            guard Int64(label) == nil, !["latest", "all"].contains(label.lowercased()) else {
                throw StoreError.invalidInput("'\(label)' names sessions already (a number, latest or all): choose a label such as P07")
            }
            if let other = try labels().first(where: { $0.value == label && $0.key != sessionID }) {
                throw StoreError.invalidInput("session \(other.key) is labelled '\(label)' already")
            }
        }
        try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM sessions WHERE id = ?", arguments: [sessionID]) != nil else {
                throw StoreError.unknownSession(path: path, id: sessionID)
            }
            try db.execute(sql: "UPDATE sessions SET label = ? WHERE id = ?", arguments: [label, sessionID])
        }
    }

    /// Throws unless run `runID` exists and is running.
    private func requireRunning(_ runID: Int64, _ db: Database) throws {
        guard let status = try String.fetchOne(db, sql: "SELECT status FROM runs WHERE id = ?", arguments: [runID]) else {
            throw StoreError.unknownRun(path: path, id: runID)
        }
        let runStatus = RunStatus(rawValue: status) ?? .failed
        guard runStatus == .running else { throw StoreError.runNotRunning(path: path, id: runID, status: runStatus) }
    }
}
