import SessionStore

/// Colours and stacking order of the emotions in the HTML chart.
enum EmotionPalette {
    /// Bottom to top: positive at the bottom, neutral in the middle, negative on top.
    static let stackOrder: [Emotion] = [.happy, .surprise, .neutral, .sad, .fear, .disgust, .angry]

    static func color(_ emotion: Emotion) -> String {
        switch emotion {
        case .angry: "#d1495b"
        case .disgust: "#8f6b3a"
        case .fear: "#7b5ea7"
        case .happy: "#f2b134"
        case .neutral: "#c9ccd1"
        case .sad: "#3d7ab8"
        case .surprise: "#3fb3a7"
        }
    }
}
