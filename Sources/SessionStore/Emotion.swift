import EmotionModel

/// The seven facial-emotion classes as the store names them: EmotionModel's `EmotionLabel` (rawValue 0...6
/// in the classifier's output order; `name` is the lower-case name used in the database, CSV headers and
/// JSON keys).
public typealias Emotion = EmotionLabel
