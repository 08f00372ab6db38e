import Foundation
import GRDB

/// The read API behind `sessions`, `timeline`, `report` and `tasks list`.
extension SessionStore {
    /// The session with id `id`.
    /// - Throws: `StoreError.unknownSession` when there is none.
    public func session(id: Int64) throws -> Session {
        try read { db in try SessionStore.fetchSession(id: id, db, path: path) }
    }

    /// The session whose file has content hash `hash`, or nil when there is none.
    public func session(contentHash hash: String) throws -> Session? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM sessions WHERE content_hash = ?", arguments: [hash])
                .map(SessionStore.session(from:))
        }
    }

    /// The most recently analysed session: the one whose complete run finished last.
    /// - Throws: `StoreError.noAnalysedSession` when no session has a complete run.
    public func latestSession() throws -> Session {
        try read { db in
            guard let id = try Int64.fetchOne(db, sql: """
                SELECT session_id FROM runs WHERE status = 'complete' ORDER BY finished_at DESC, id DESC LIMIT 1
                """) else { throw StoreError.noAnalysedSession(path: path) }
            return try SessionStore.fetchSession(id: id, db, path: path)
        }
    }

    /// The name lists and reports show for `session`: its file name, with as many parent folders as it
    /// takes to tell it from the other sessions of the database with the same file name
    /// (`Session.displayNames`).
    public func displayName(of session: Session) throws -> String {
        let rows = try read { db in try Row.fetchAll(db, sql: "SELECT id, file_path FROM sessions ORDER BY id") }
        let ids: [Int64] = rows.map { $0["id"] }
        let names = Session.displayNames(rows.map { $0["file_path"] })
        return ids.firstIndex(of: session.id).map { names[$0] } ?? session.fileName
    }

    /// Every session's participant label by id: the one a researcher set (`setLabel`), else
    /// `Session.defaultLabels`. Labels are unique: a default that another session's set label takes is
    /// followed by `#ID`.
    public func labels() throws -> [Int64: String] {
        let sessions = try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sessions ORDER BY id").map(SessionStore.session(from:))
        }
        let defaults = Session.defaultLabels(sessions.map(\.info.filePath))
        let set = Set(sessions.compactMap(\.label))
        var labels: [Int64: String] = [:]
        for (session, fallback) in zip(sessions, defaults) {
            labels[session.id] = session.label ?? (set.contains(fallback) ? "\(fallback) #\(session.id)" : fallback)
        }
        return labels
    }

    /// The participant label of `session` (`labels()`).
    public func label(of session: Session) throws -> String {
        try labels()[session.id] ?? session.fileName
    }

    /// The session whose participant label is `label` (exactly; else ignoring case when that matches one).
    /// - Throws: `StoreError.unknownLabel` when none (or several, ignoring case) has it.
    public func session(label: String) throws -> Session {
        let labels = try labels()
        let exact = labels.filter { $0.value == label }.map(\.key)
        let folded = labels.filter { $0.value.lowercased() == label.lowercased() }.map(\.key)
        guard let id = exact.first ?? (folded.count == 1 ? folded.first : nil) else {
            throw StoreError.unknownLabel(path: path, label: label)
        }
        return try session(id: id)
    }

    /// Every session in id order, with its latest run, latest complete run, sample and task counts.
    public func sessionSummaries() throws -> [SessionSummary] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.*,
                    (SELECT id FROM runs WHERE session_id = s.id ORDER BY started_at DESC, id DESC LIMIT 1) AS latest_run,
                    (SELECT id FROM runs WHERE session_id = s.id AND status = 'complete'
                        ORDER BY finished_at DESC, id DESC LIMIT 1) AS complete_run,
                    (SELECT count(*) FROM tasks WHERE session_id = s.id) AS task_count
                FROM sessions AS s ORDER BY s.id
                """)
            return try rows.map { row in
                let latest: Int64? = row["latest_run"]
                let complete: Int64? = row["complete_run"]
                var samples = 0, faces = 0
                if let complete {
                    let counts = try Row.fetchOne(db, sql: """
                        SELECT count(DISTINCT time_s) AS samples,
                               count(DISTINCT CASE WHEN is_participant = 1 AND angry IS NOT NULL THEN time_s END) AS faces
                        FROM samples WHERE run_id = ?
                        """, arguments: [complete])
                    samples = counts?["samples"] ?? 0
                    faces = counts?["faces"] ?? 0
                }
                return SessionSummary(
                    session: SessionStore.session(from: row),
                    latestRun: try latest.map { try SessionStore.fetchRun(id: $0, db, path: path) },
                    latestCompleteRun: try complete.map { try SessionStore.fetchRun(id: $0, db, path: path) },
                    sampleCount: samples, faceSampleCount: faces, taskCount: row["task_count"])
            }
        }
    }

    /// The run with id `id`.
    public func run(id: Int64) throws -> Run {
        try read { db in try SessionStore.fetchRun(id: id, db, path: path) }
    }

    /// Every run of a session, oldest first.
    public func runs(session sessionID: Int64) throws -> [Run] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs WHERE session_id = ? ORDER BY id", arguments: [sessionID])
                .map(SessionStore.run(from:))
        }
    }

    /// The complete run of a session that finished last, or nil when it has none. Runs that are running,
    /// failed or interrupted are never returned.
    public func latestCompleteRun(session sessionID: Int64) throws -> Run? {
        try read { db in
            try Row.fetchOne(db, sql: """
                SELECT * FROM runs WHERE session_id = ? AND status = 'complete'
                ORDER BY finished_at DESC, id DESC LIMIT 1
                """, arguments: [sessionID]).map(SessionStore.run(from:))
        }
    }

    /// The participant's timeline of a complete run: one entry per sampled timestamp in time order, with
    /// the participant's scores or nil when no participant face was seen then, and the number of faces
    /// found then (all, and those that are not the participant's).
    /// - Parameters:
    ///   - from: first time included (seconds), or nil for the start.
    ///   - to: last time included (seconds), or nil for the end.
    /// - Throws: `StoreError.runNotComplete` for a run that is not complete.
    public func timeline(run runID: Int64, from: Double? = nil, to: Double? = nil) throws -> [TimelineSample] {
        try read { db in
            let run = try SessionStore.fetchRun(id: runID, db, path: path)
            guard run.status == .complete else {
                throw StoreError.runNotComplete(path: path, id: runID, status: run.status)
            }
            let cursor = try Row.fetchCursor(db, sql: SessionStore.timelineSQL,
                                             arguments: [runID, from ?? -Double.infinity, to ?? Double.infinity])
            var samples: [TimelineSample] = []
            while let row = try cursor.next() {
                let time: Double = row[0]
                var scores: EmotionScores?
                if let first: Double = row[3] {
                    var probabilities = [first]
                    for column in 4...9 { probabilities.append(row[column] ?? 0) }
                    scores = EmotionScores(probabilities)
                }
                samples.append(TimelineSample(time: time, scores: scores, faces: row[1], others: row[2]))
            }
            return samples
        }
    }

    /// Every timestamp of a run with its face counts (all faces; faces with `is_participant = 0`), and the
    /// participant's row where there is one. Uses the `samples_timeline` index for the timestamps and
    /// `samples_participant` for the join.
    static let timelineSQL = """
        SELECT ts.time_s, ts.faces, ts.others, p.angry, p.disgust, p.fear, p.happy, p.neutral, p.sad, p.surprise
        FROM (SELECT time_s, sum(face) AS faces, sum(face = 1 AND is_participant = 0) AS others
              FROM samples WHERE run_id = ?1 AND time_s >= ?2 AND time_s <= ?3 GROUP BY time_s) AS ts
        LEFT JOIN samples AS p ON p.run_id = ?1 AND p.time_s = ts.time_s AND p.is_participant = 1
        ORDER BY ts.time_s
        """

    /// Every stored record of a run (all faces, participant or not) in time order.
    public func samples(run runID: Int64) throws -> [SampleRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM samples WHERE run_id = ? ORDER BY time_s, id", arguments: [runID])
                .map(SessionStore.sample(from:))
        }
    }

    /// The tasks and point events of a session in their stored order. A store opened read-only before
    /// the `v2-markers` migration has no kinds or notes: its rows are all tasks.
    public func tasks(session sessionID: Int64) throws -> [TaskSegment] {
        try read { db in
            let hasKinds = try SessionStore.hasColumn("kind", in: "tasks", db)
            let extra = hasKinds ? ", kind, notes" : ""
            return try Row.fetchAll(db, sql: "SELECT name, start_s, end_s\(extra) FROM tasks WHERE session_id = ? ORDER BY position",
                                    arguments: [sessionID])
                .map { row in
                    let kind = hasKinds ? TaskSegment.Kind(rawValue: row["kind"]) ?? .task : .task
                    return TaskSegment(name: row["name"], start: row["start_s"], end: row["end_s"], kind: kind,
                                       notes: hasKinds ? row["notes"] : nil)
                }
        }
    }

    /// Whether `table` has `column` (false for a store opened read-only before the migration that adds it).
    static func hasColumn(_ column: String, in table: String, _ db: Database) throws -> Bool {
        try db.columns(in: table).contains { $0.name == column }
    }
}
