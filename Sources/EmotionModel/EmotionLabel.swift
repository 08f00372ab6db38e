/// The seven facial-emotion classes, in the fixed order every EmoteLab model outputs them (the folder order
/// of our FER2013 copy): angry, disgust, fear, happy, neutral, sad, surprise (`rawValue` 0…6).
public enum EmotionLabel: Int, CaseIterable, Codable, Sendable, Comparable {
    case angry, disgust, fear, happy, neutral, sad, surprise

    /// The lower-case English name (`"angry"` …), as used in model metadata and folder names.
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

    /// The label with this name (case-insensitive), or nil.
    public init?(name: String) {
        guard let match = EmotionLabel.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = match
    }

    /// All names in model output order.
    public static var names: [String] { allCases.map(\.name) }

    /// Model output order.
    public static func < (lhs: EmotionLabel, rhs: EmotionLabel) -> Bool { lhs.rawValue < rhs.rawValue }
}
