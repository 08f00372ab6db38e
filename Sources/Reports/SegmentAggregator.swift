import SessionStore

/// The report's formulas, applied to the samples of one segment (a task or the whole session).
enum SegmentAggregator {
    /// Aggregates `samples` (already restricted to the segment) into a row.
    /// - Parameter baseline: subtracted from every sample's valence before averaging (0 for none).
    static func row(session: String, task: String, isWholeSession: Bool, start: Double, end: Double,
                    samples: [TimelineSample], baseline: Double) -> ReportRow {
        let faces = samples.compactMap(\.scores)
        var row = ReportRow(session: session, task: task, isWholeSession: isWholeSession, start: start, end: end,
                            samples: samples.count, faceSamples: faces.count)
        guard !samples.isEmpty else { return row }
        row.facePresence = Double(faces.count) / Double(samples.count)
        // Engagement averages over every sample: a sample without a face counts as 0.
        row.engagement = 100 * faces.reduce(0) { $0 + (1 - $1[.neutral]) } / Double(samples.count)
        guard !faces.isEmpty else { return row }

        let count = Double(faces.count)
        let means = Emotion.allCases.map { emotion in faces.reduce(0) { $0 + $1[emotion] } / count }
        row.emotionMeans = means
        row.dominant = Emotion.allCases.reduce(Emotion.angry) { means[$1.rawValue] > means[$0.rawValue] ? $1 : $0 }
        let valences = faces.map { $0.valence - baseline }
        let valenceMean = valences.reduce(0, +) / count
        row.valenceMean = valenceMean
        row.valenceMin = valences.min()
        row.valenceMax = valences.max()
        row.satisfaction = min(max(50 * (1 + valenceMean), 0), 100)
        return row
    }
}

extension ReportRow {
    /// A row with counts only; `SegmentAggregator` fills in the rest.
    init(session: String, task: String, isWholeSession: Bool, start: Double, end: Double, samples: Int, faceSamples: Int) {
        self.session = session
        self.task = task
        self.isWholeSession = isWholeSession
        self.start = start
        self.end = end
        self.samples = samples
        self.faceSamples = faceSamples
    }
}
