/// The seven facial-emotion classes, in the classifier's output order (rawValue 0...6).
///
/// The same order as `EmotionLabel` in EmotionModel; SessionStore keeps its own copy so that it depends on
/// no other EmoteLab module. Map between the two by `rawValue`.
public enum Emotion: Int, CaseIterable, Sendable, Codable, Comparable {
    case angry, disgust, fear, happy, neutral, sad, surprise

    /// The lower-case name used in the database, CSV headers and JSON keys (`"happy"`).
    public var name: String {
        switch self {
        case .angry: "angry"
        case .disgust: "disgust"
        case .fear: "fear"
        case .happy: "happy"
        case .neutral: "neutral"
        case .sad: "sad"
        case .surprise: "surprise"
        }
    }

    /// The emotion with the given lower-case name, or nil.
    public init?(name: String) {
        guard let match = Emotion.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }

    public static func < (lhs: Emotion, rhs: Emotion) -> Bool { lhs.rawValue < rhs.rawValue }
}
