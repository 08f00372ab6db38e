/// The shape of one member of the ResEmoteNet family: the teacher or a Mini-ResEmoteNet student.
///
/// Widths (teacher; students divide every channel and FC width by 2, 4 or 8):
/// stem convolutions 64-128-256, residual blocks 512-1024-2048, FC head 1024-512-256-7, SE hidden width
/// c3/16 (C uses 32, which reproduces the published parameter count 1,259,911).
public struct ResEmoteNetArchitecture: Codable, Equatable, Hashable, Sendable {
    /// The width multiplier.
    public enum Width: String, Codable, CaseIterable, Sendable {
        case teacher, A, B, C
        /// Every width is the teacher's divided by this.
        public var divisor: Int {
            switch self { case .teacher: 1; case .A: 2; case .B: 4; case .C: 8 }
        }
        /// Parses `teacher`, `A`, `B`, `C` (case-insensitive).
        public init?(name: String) {
            switch name.lowercased() {
            case "teacher": self = .teacher
            case "a": self = .A
            case "b": self = .B
            case "c": self = .C
            default: return nil
            }
        }
    }

    public var width: Width
    /// 1 (gray) or 3 (gray replicated to RGB).
    public var inputChannels: Int
    /// 48 or 64 (square input).
    public var inputSize: Int
    /// Output classes (7 for the EmoteLab labels).
    public var classes: Int

    public init(width: Width, inputChannels: Int = 1, inputSize: Int = 48, classes: Int = 7) {
        self.width = width; self.inputChannels = inputChannels; self.inputSize = inputSize; self.classes = classes
    }

    /// Whether the configuration is one the family defines (channels 1|3, input 48|64, ≥ 2 classes).
    public var isSupported: Bool { [1, 3].contains(inputChannels) && [48, 64].contains(inputSize) && classes >= 2 }

    /// Stem convolution widths (c1, c2, c3).
    public var stemChannels: [Int] { [64, 128, 256].map { $0 / width.divisor } }
    /// Residual block widths (r1, r2, r3).
    public var residualChannels: [Int] { [512, 1024, 2048].map { $0 / width.divisor } }
    /// Hidden FC widths (r3/2, r3/4, r3/8).
    public var headWidths: [Int] { [1024, 512, 256].map { $0 / width.divisor } }
    /// The squeeze-and-excitation hidden width.
    public var seHidden: Int { width == .C ? 32 : stemChannels[2] / 16 }
}
