import Foundation

/// Where an analysis run stands.
public enum RunStatus: String, Sendable, Equatable, CaseIterable {
    /// Started and not finished; also what a killed process leaves behind. Never reported.
    case running
    /// Finished: every sample was written. The only status reports and timelines use.
    case complete
    /// Stopped by an error.
    case failed
    /// Stopped on purpose (Ctrl-C, SIGTERM).
    case interrupted
}

/// The settings of an analysis run. Two runs of a session with equal settings are the same analysis:
/// when the newer one completes it replaces the older one.
public struct RunSettings: Sendable, Equatable {
    /// Name of the classifier (e.g. `default`, `B`, or a file name).
    public var modelName: String
    /// Digest of the classifier's weights file.
    public var modelHash: String
    /// Samples per second of video.
    public var sampleRate: Double
    /// Name of the face detector (e.g. `haar-frontalface-default`).
    public var detector: String
    /// The detector's parameters as a JSON object; stored with sorted keys, so key order never makes two
    /// settings differ.
    public var detectorParameters: String

    public init(modelName: String, modelHash: String, sampleRate: Double, detector: String,
                detectorParameters: String = "{}") {
        self.modelName = modelName
        self.modelHash = modelHash
        self.sampleRate = sampleRate
        self.detector = detector
        self.detectorParameters = detectorParameters
    }

    /// The parameters re-serialised as compact JSON with sorted keys.
    /// - Throws: `StoreError.invalidInput` when they are not a JSON object.
    func canonicalParameters() throws -> String {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(detectorParameters.utf8))
        } catch {
            throw StoreError.invalidInput("detector parameters are not valid JSON: \(detectorParameters)")
        }
        guard object is [String: Any] else {
            throw StoreError.invalidInput("detector parameters must be a JSON object: \(detectorParameters)")
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// Checks the values the schema constrains.
    func validate() throws {
        guard sampleRate.isFinite, sampleRate > 0 else {
            throw StoreError.invalidInput("sampling rate must be positive, got \(sampleRate)")
        }
        guard !modelName.isEmpty, !modelHash.isEmpty, !detector.isEmpty else {
            throw StoreError.invalidInput("run settings need a model name, a model hash and a detector name")
        }
    }
}

/// A stored analysis run (one row of `runs`).
public struct Run: Sendable, Equatable, Identifiable {
    public let id: Int64
    public let sessionID: Int64
    public let settings: RunSettings
    public let status: RunStatus
    /// Why the run failed or was interrupted; for a complete run, warnings about the file that did not
    /// stop the analysis (e.g. a truncated recording read only up to some time), else nil.
    public let message: String?
    /// Track id of the participant's face, once the pipeline has chosen it.
    public let participantTrack: Int64?
    public let startedAt: Date
    /// When the run left `running` (completed, failed or was interrupted).
    public let finishedAt: Date?

    public init(id: Int64, sessionID: Int64, settings: RunSettings, status: RunStatus, message: String?,
                participantTrack: Int64?, startedAt: Date, finishedAt: Date?) {
        self.id = id
        self.sessionID = sessionID
        self.settings = settings
        self.status = status
        self.message = message
        self.participantTrack = participantTrack
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}
