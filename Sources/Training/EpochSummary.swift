import Foundation

/// What one training epoch achieved, as printed on its line and kept in the checkpoint's history.
public struct EpochSummary: Codable, Equatable, Sendable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Mean total loss over the epoch's training batches.
    public var trainLoss: Double
    /// Mean cross-entropy part (equals `trainLoss` without distillation).
    public var crossEntropy: Double
    /// Mean distillation part `T²·KL` (before the β factor); nil without a teacher.
    public var distillation: Double?
    /// Fraction of training images (as augmented) whose top class was right.
    public var trainAccuracy: Double
    /// Validation accuracy (fraction); nil without a validation split.
    public var valAccuracy: Double?
    /// Validation macro-F1; nil without a validation split.
    public var valMacroF1: Double?
    /// Learning rate at the end of the epoch.
    public var learningRate: Float
    /// Training images per second (training passes only).
    public var imagesPerSecond: Double
    /// Wall time of the whole epoch, validation included.
    public var seconds: Double
    /// Whether this epoch's model became the best kept so far.
    public var isBest: Bool

    public init(epoch: Int, trainLoss: Double, crossEntropy: Double, distillation: Double?, trainAccuracy: Double,
                valAccuracy: Double?, valMacroF1: Double?, learningRate: Float, imagesPerSecond: Double,
                seconds: Double, isBest: Bool) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.crossEntropy = crossEntropy
        self.distillation = distillation
        self.trainAccuracy = trainAccuracy
        self.valAccuracy = valAccuracy
        self.valMacroF1 = valMacroF1
        self.learningRate = learningRate
        self.imagesPerSecond = imagesPerSecond
        self.seconds = seconds
        self.isBest = isBest
    }

    /// The epoch's line, e.g.
    /// `epoch  3/40  loss 1.2345 (ce 1.1021, kd 0.6620)  train 54.32 %  val 58.10 % best  lr 0.009045  412 img/s  70.1 s  ETA 43m10s`.
    public func line(totalEpochs: Int, eta: Double?) -> String {
        let width = String(totalEpochs).count
        let number = String(repeating: " ", count: max(0, width - String(epoch).count)) + String(epoch)
        var parts = ["epoch \(number)/\(totalEpochs)", "loss " + String(format: "%.4f", trainLoss)]
        if let distillation {
            parts[1] += String(format: " (ce %.4f, kd %.4f)", crossEntropy, distillation)
        }
        parts.append("train " + String(format: "%.2f %%", trainAccuracy * 100))
        if let valAccuracy {
            parts.append("val " + String(format: "%.2f %%", valAccuracy * 100) + (isBest ? " best" : ""))
        }
        parts.append("lr " + String(format: "%.6g", learningRate))
        parts.append(String(format: "%.0f img/s", imagesPerSecond))
        parts.append(String(format: "%.1f s", seconds))
        if let eta { parts.append("ETA " + Self.duration(eta)) }
        return parts.joined(separator: "  ")
    }

    /// `45s`, `12m05s`, `3h07m`.
    public static func duration(_ seconds: Double) -> String {
        let s = max(0, Int(seconds.rounded()))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60)
    }
}
