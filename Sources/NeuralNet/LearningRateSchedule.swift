import Foundation

/// Cosine annealing (`torch.optim.lr_scheduler.CosineAnnealingLR`) with an optional linear warm-up:
/// `lr(e) = min + (base − min) · (1 + cos(π · (e − warmup) / (total − warmup))) / 2`.
public struct CosineSchedule: Codable, Sendable, Equatable {
    public var baseLearningRate: Float
    public var minimumLearningRate: Float
    /// The length of the schedule in epochs (fractions allowed: pass `epoch + batch/batches` to anneal per step).
    public var totalEpochs: Double
    /// Epochs of linear warm-up from `base/ (warmup·batches)`-ish small values up to `base`.
    public var warmupEpochs: Double

    public init(baseLearningRate: Float, minimumLearningRate: Float = 0, totalEpochs: Double, warmupEpochs: Double = 0) {
        self.baseLearningRate = baseLearningRate; self.minimumLearningRate = minimumLearningRate
        self.totalEpochs = totalEpochs; self.warmupEpochs = warmupEpochs
    }

    /// The learning rate at (possibly fractional) epoch `epoch`, counted from 0.
    public func learningRate(atEpoch epoch: Double) -> Float {
        if warmupEpochs > 0 && epoch < warmupEpochs {
            return baseLearningRate * Float((epoch + 1e-9) / warmupEpochs)
        }
        let span = max(totalEpochs - warmupEpochs, 1e-9)
        let t = min(max((epoch - warmupEpochs) / span, 0), 1)
        return minimumLearningRate + (baseLearningRate - minimumLearningRate) * Float((1 + cos(Double.pi * t)) / 2)
    }
}

/// Reduce-on-plateau (`torch.optim.lr_scheduler.ReduceLROnPlateau`, relative threshold): after `patience`
/// epochs without improvement of the monitored metric the rate is multiplied by `factor` (not below
/// `minimumLearningRate`), then `cooldown` epochs pass before counting again. Codable for checkpoints.
public struct PlateauSchedule: Codable, Sendable, Equatable {
    public enum Mode: String, Codable, Sendable { case min, max }
    public var mode: Mode
    public var factor: Float
    public var patience: Int
    public var threshold: Double
    public var cooldown: Int
    public var minimumLearningRate: Float
    /// The current learning rate.
    public private(set) var learningRate: Float
    /// The best metric seen so far (nil before the first epoch).
    public private(set) var best: Double?
    public private(set) var badEpochs = 0
    public private(set) var cooldownLeft = 0

    public init(learningRate: Float, mode: Mode = .max, factor: Float = 0.1, patience: Int = 10,
                threshold: Double = 1e-4, cooldown: Int = 0, minimumLearningRate: Float = 0) {
        precondition(factor > 0 && factor < 1, "plateau factor must be in (0, 1)")
        self.learningRate = learningRate; self.mode = mode; self.factor = factor; self.patience = patience
        self.threshold = threshold; self.cooldown = cooldown; self.minimumLearningRate = minimumLearningRate
    }

    /// Records the epoch's metric; returns true when the learning rate was reduced.
    @discardableResult
    public mutating func step(metric: Double) -> Bool {
        let improved: Bool
        if let best {
            improved = mode == .max ? metric > best * (1 + threshold) : metric < best * (1 - threshold)
        } else {
            improved = true
        }
        if improved { best = metric; badEpochs = 0 } else { badEpochs += 1 }
        if cooldownLeft > 0 { cooldownLeft -= 1; badEpochs = 0 }
        if badEpochs > patience {
            let reduced = max(learningRate * factor, minimumLearningRate)
            badEpochs = 0
            cooldownLeft = cooldown
            if learningRate - reduced > 1e-12 { learningRate = reduced; return true }
        }
        return false
    }
}
