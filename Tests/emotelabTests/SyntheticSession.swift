import Foundation
import SessionStore

/// A realistic made-up session for end-to-end tests and the README screenshot: an 8-minute recording
/// sampled at 4 per second, five tasks, the participant looking away now and then, expressions that drift
/// (a random walk on the class logits, seeded, so every run writes the same records) with a frustrated
/// checkout and a pleased ending.
enum SyntheticSession {
    static let duration = 480.0
    static let sampleRate = 4.0

    static let tasks = [
        TaskSegment(name: "Sign up", start: 12, end: 85),
        TaskSegment(name: "Find a product", start: 85, end: 170),
        TaskSegment(name: "Add to cart, then checkout", start: 170, end: 300),
        TaskSegment(name: "Apply a \"discount\" code", start: 300, end: 385),
        TaskSegment(name: "Rate the app ★", start: 385, end: 465),
    ]

    static let info = SessionInfo(filePath: "/recordings/2026-11-20/participant-07.mp4",
                                  contentHash: "5f1c0a9e3b7d24c8a6e1f0b9d3c7a2e4f8b6d1c0a9e3b7d24c8a6e1f0b9d3c7a",
                                  duration: duration, frameWidth: 1280, frameHeight: 720, recordedFPS: 30)

    static let settings = RunSettings(modelName: "default", modelHash: "9c2d7e41b0a35f68", sampleRate: sampleRate,
                                      detector: "haar-frontalface-default",
                                      detectorParameters: #"{"minNeighbors":5,"minSize":60,"scaleFactor":1.1}"#)

    /// Intervals where the participant looks away (no face).
    static let away: [ClosedRange<Double>] = [40...44.5, 131...137, 222...229.5, 231...233, 318...321, 440...443]

    /// Extra logit per class (angry … surprise) while a task runs.
    static func bias(at time: Double) -> [Double] {
        switch time {
        case 170..<300: [0.9, 0.3, 0.2, -0.8, 0, 0.6, 0]       // checkout: frustration
        case 300..<385: [0.2, 0, 0.3, 0, 0, 0.2, 0.7]           // discount code: surprise, some worry
        case 385..<465: [-0.5, -0.3, -0.3, 1.4, 0, -0.4, 0.2]  // rating: pleased
        case 85..<170: [0, 0, 0, 0.4, 0.2, 0, 0.2]
        default: [0, 0, 0, 0.2, 0.3, 0, 0]
        }
    }

    /// The records, in timestamp order.
    static func records() -> [SampleRecord] {
        var random = SplitMix64(seed: 7)
        var walk = [Double](repeating: 0, count: 7)
        let base = [-1.6, -2.6, -2.2, -0.4, 1.2, -1.2, -1.5]
        var records: [SampleRecord] = []
        let count = Int(duration * sampleRate)
        for index in 0..<count {
            let time = Double(index) / sampleRate
            for k in 0..<7 { walk[k] = 0.97 * walk[k] + 0.18 * random.gaussian() }
            if away.contains(where: { $0.contains(time) }) {
                records.append(.noFace(at: time))
                continue
            }
            let logits = (0..<7).map { base[$0] + bias(at: time)[$0] + walk[$0] }
            let exps = logits.map { exp($0) }
            let total = exps.reduce(0, +)
            let scores = EmotionScores(exps.map { $0 / total })!
            let box = FaceBox(x: 560 + 12 * sin(time / 9), y: 210 + 6 * cos(time / 7), width: 190, height: 190)
            records.append(SampleRecord(time: time, face: DetectedFace(trackID: 1, isParticipant: true, box: box,
                                                                       confidence: 0.9, scores: scores)))
        }
        return records
    }

    /// Writes the session, one complete run and the tasks into `store`; returns the session.
    @discardableResult
    static func write(into store: SessionStore) throws -> Session {
        let session = try store.findOrCreateSession(info)
        let run = try store.beginRun(session: session.id, settings: settings)
        let all = records()
        for start in stride(from: 0, to: all.count, by: 500) {
            try store.appendSamples(Array(all[start..<min(start + 500, all.count)]), toRun: run)
        }
        try store.finishRun(run)
        try store.replaceTasks(tasks, session: session.id)
        return session
    }
}

/// A small seeded generator (SplitMix64) so the synthetic records are the same on every machine.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) / Double(1 << 53) }

    /// Standard normal (Box–Muller).
    mutating func gaussian() -> Double { sqrt(-2 * log(uniform())) * cos(2 * .pi * uniform()) }
}
