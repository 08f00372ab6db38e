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
        let presence = Double(faces.count) / Double(samples.count)
        row.facePresence = presence
        row.presenceInterval = BlockMeans.interval(of: presence, values: samples.map { ($0.time, $0.scores == nil ? 0 : 1) },
                                                   start: start, bounds: 0...1)
        row.othersSamples = samples.filter(\.hasOthers).count
        row.othersInView = Double(row.othersSamples) / Double(samples.count)
        guard !faces.isEmpty else { return row }

        let faceSamples = samples.compactMap { sample in sample.scores.map { (time: sample.time, scores: $0) } }
        let count = Double(faces.count)
        // Engagement is expressiveness where the face is seen: samples without a face are presence's business.
        let expressiveness = faceSamples.map { (time: $0.time, value: 100 * (1 - $0.scores[.neutral])) }
        let engagement = expressiveness.reduce(0) { $0 + $1.value } / count
        row.engagement = engagement
        row.engagementInterval = BlockMeans.interval(of: engagement, values: expressiveness, start: start, bounds: 0...100)
        let means = Emotion.allCases.map { emotion in faces.reduce(0) { $0 + $1[emotion] } / count }
        row.emotionMeans = means
        row.dominant = Emotion.allCases.reduce(Emotion.angry) { means[$1.rawValue] > means[$0.rawValue] ? $1 : $0 }
        let valences = faceSamples.map { (time: $0.time, value: $0.scores.valence - baseline) }
        let valenceMean = valences.reduce(0) { $0 + $1.value } / count
        row.valenceMean = valenceMean
        row.valenceMin = valences.map(\.value).min()
        row.valenceMax = valences.map(\.value).max()
        row.satisfaction = satisfaction(valenceMean)
        // Valence lies in −1…1; less a baseline (itself in −1…1) in −2…2.
        let valenceBounds: ClosedRange<Double> = baseline == 0 ? -1...1 : -2...2
        if let interval = BlockMeans.interval(of: valenceMean, values: valences, start: start, bounds: valenceBounds) {
            row.valenceInterval = interval
            row.satisfactionInterval = satisfaction(interval.lowerBound)...satisfaction(interval.upperBound)
        }
        return row
    }

    /// 50 × (1 + valence), clamped to 0–100.
    static func satisfaction(_ valence: Double) -> Double { min(max(50 * (1 + valence), 0), 100) }
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
