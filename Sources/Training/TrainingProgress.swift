import NeuralNet

/// Where a run stands: everything besides the weights and optimizer buffers that a checkpoint must carry
/// for a resumed run to continue exactly as an uninterrupted one.
public struct TrainingProgress: Codable, Equatable, Sendable {
    /// Sums over the finished batches of the epoch in progress.
    public struct Running: Codable, Equatable, Sendable {
        public var images = 0
        public var correct = 0
        /// Σ batch loss × batch size (likewise for the two parts).
        public var loss = 0.0
        public var crossEntropy = 0.0
        public var distillation = 0.0
        /// Seconds spent in training passes (all sessions).
        public var seconds = 0.0
    }

    /// Validation scores of a model.
    public struct Score: Codable, Equatable, Sendable {
        public var accuracy: Double
        public var macroF1: Double
    }

    /// Why a run ended.
    public enum Ending: String, Codable, Sendable {
        case completed
        case earlyStopped
    }

    /// Epochs fully done (validation and checkpoint included).
    public var completedEpochs = 0
    /// Batches done in the epoch in progress (0 between epochs).
    public var batchesDone = 0
    /// The seed of the epoch in progress' shuffle and augmentation plan.
    public var epochSeed: UInt64 = 0
    /// The generator epoch seeds are drawn from.
    public var sampler: [UInt64]
    /// The model's dropout generator.
    public var dropout: [UInt64]
    public var running = Running()
    /// The reduce-on-plateau state (plateau schedule only).
    public var plateau: PlateauSchedule?
    /// The best validation accuracy so far and its epoch (1-based; 0 is the `--init` model before training).
    public var bestAccuracy: Double?
    public var bestEpoch: Int?
    /// The `--init` model's validation scores before the first epoch; nil for a run from random weights.
    public var startingModel: Score?
    public var epochsWithoutImprovement = 0
    public var history: [EpochSummary] = []
    public var ending: Ending?

    public init(sampler: RandomGenerator, dropout: RandomGenerator, plateau: PlateauSchedule?) {
        self.sampler = sampler.stateWords
        self.dropout = dropout.stateWords
        self.plateau = plateau
    }
}

/// How `Trainer.run()` returned.
public enum TrainingOutcome: Equatable, Sendable {
    /// All epochs ran.
    case completed
    /// Validation accuracy stopped improving for the patience; `epoch` is the last one run.
    case stoppedEarly(epoch: Int)
    /// Ctrl-C (or `shouldStop`): a checkpoint was saved after `batch` batches of epoch `epoch` (1-based;
    /// `batch` 0 means at the end of epoch `epoch - 1`).
    case interrupted(epoch: Int, batch: Int)
}
