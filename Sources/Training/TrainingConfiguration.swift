import EmotionModel

/// Everything that decides the result of a training run (hyper-parameters, seed, augmentation,
/// distillation). A checkpoint stores it; `--resume` refuses to continue under a different one.
public struct TrainingConfiguration: Codable, Equatable, Sendable {
    /// The learning-rate schedule.
    public enum Schedule: String, Codable, CaseIterable, Sendable {
        /// Cosine annealing from the base rate to `minimumLearningRate`, updated every batch.
        case cosine
        /// Multiply by `plateauFactor` after `plateauPatience` epochs without a better validation accuracy.
        case plateau
    }

    /// Distillation from a teacher's softened predictions.
    public struct Distillation: Codable, Equatable, Sendable {
        /// Softmax temperature T.
        public var temperature: Float
        /// β in `CE + β·T²·KL`.
        public var beta: Float
        /// A description of the teacher (its file name and content hash), so resuming with another
        /// teacher is refused.
        public var teacher: String
        /// Which images the teacher's targets come from.
        public var teacherViews: TeacherViews

        public init(temperature: Float = 3, beta: Float = 0.2, teacher: String, teacherViews: TeacherViews = .clean) {
            self.temperature = temperature
            self.beta = beta
            self.teacher = teacher
            self.teacherViews = teacherViews
        }

        private enum CodingKeys: String, CodingKey { case temperature, beta, teacher, teacherViews }

        /// Decodes settings written before `teacherViews` existed as `.clean` (what those runs did).
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            temperature = try c.decode(Float.self, forKey: .temperature)
            beta = try c.decode(Float.self, forKey: .beta)
            teacher = try c.decode(String.self, forKey: .teacher)
            teacherViews = try c.decodeIfPresent(TeacherViews.self, forKey: .teacherViews) ?? .clean
        }
    }

    /// What the teacher looks at when it makes the distillation targets (`--teacher-views`).
    public enum TeacherViews: String, Codable, CaseIterable, Sendable {
        /// Each training image as is and mirrored, once before training (`TeacherLogits`): an epoch costs only
        /// the student's compute, but a shifted, rotated, zoomed or erased image gets the clean image's target.
        case clean
        /// Every batch exactly as the student sees it, augmentation included (`LiveTeachers`; "consistent"
        /// teaching, Beyer et al. 2022): the targets match the inputs, at the cost of each teacher's forward
        /// pass on every batch.
        case augmented
    }

    /// `teacher`, `A`, `B` or `C`.
    public var architecture: String
    /// 1 (gray) or 3 (gray replicated).
    public var inputChannels: Int
    /// 48 or 64.
    public var inputSize: Int
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Float
    public var momentum: Float
    public var nesterov: Bool
    public var weightDecay: Float
    public var schedule: Schedule
    /// Cosine: linear warm-up epochs (fractional allowed) before annealing.
    public var warmupEpochs: Double
    /// The floor of both schedules.
    public var minimumLearningRate: Float
    public var plateauPatience: Int
    public var plateauFactor: Float
    /// Stop after this many epochs without a better validation accuracy (0: never stop early).
    public var earlyStoppingPatience: Int
    public var labelSmoothing: Float
    public var classWeighting: ClassWeighting
    public var augmentation: AugmentationOptions
    /// Dropout probabilities of the stem blocks and of the FC head.
    public var dropoutStem: Float
    public var dropoutHead: Float
    public var seed: UInt64
    public var distillation: Distillation?
    /// The test-time augmentation stored with the model and used for validation (nil: none; runs from
    /// before the option existed decode as nil).
    public var testTimeAugmentation: TestTimeAugmentation?
    /// The model the weights started from (file name and content hash), nil for random initialisation.
    public var initialModel: String?
    /// Decay of an exponential moving average of the weights, updated after every step (`--ema`); when set,
    /// validation, the choice of the best epoch and the written model use the average. nil: no average (runs
    /// from before the option existed decode as nil).
    public var weightAverageDecay: Float?
    /// Mixing of the images within each batch (`--mixup`, `--cutmix`; runs from before the options existed
    /// decode as none).
    public var mixing: MixingOptions {
        get { MixingOptions(mixupAlpha: mixupAlpha, cutmixAlpha: cutmixAlpha) }
        set { (mixupAlpha, cutmixAlpha) = (newValue.mixupAlpha, newValue.cutmixAlpha) }
    }
    /// `MixingOptions.mixupAlpha`, stored flat so that older checkpoints decode without it.
    public var mixupAlpha: Float?
    /// `MixingOptions.cutmixAlpha`, stored flat likewise.
    public var cutmixAlpha: Float?
    /// The face detector whose crops of the training faces are shown some of the time (`--detector-crops`,
    /// e.g. `blazeface`; `DetectorCrops`); nil: the dataset's registration only (runs from before the option
    /// existed decode as nil).
    public var detectorCrops: String?
    /// The probability that an image is shown as the detector cut it, each epoch afresh (`--detector-crop-rate`;
    /// set whenever `detectorCrops` is).
    public var detectorCropRate: Float?

    public init(architecture: String, inputChannels: Int = 1, inputSize: Int = 48, epochs: Int = 30,
                batchSize: Int = 64, learningRate: Float = 0.01, momentum: Float = 0.9, nesterov: Bool = false,
                weightDecay: Float = 5e-4, schedule: Schedule = .cosine, warmupEpochs: Double = 0,
                minimumLearningRate: Float = 0, plateauPatience: Int = 3, plateauFactor: Float = 0.1,
                earlyStoppingPatience: Int = 10, labelSmoothing: Float = 0, classWeighting: ClassWeighting = .inverse,
                augmentation: AugmentationOptions = AugmentationOptions(), dropoutStem: Float = 0.2,
                dropoutHead: Float = 0.5, seed: UInt64 = 0, distillation: Distillation? = nil,
                testTimeAugmentation: TestTimeAugmentation? = nil, initialModel: String? = nil,
                weightAverageDecay: Float? = nil, mixing: MixingOptions = .none, detectorCrops: String? = nil,
                detectorCropRate: Float? = nil) {
        self.architecture = architecture
        self.inputChannels = inputChannels
        self.inputSize = inputSize
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.schedule = schedule
        self.warmupEpochs = warmupEpochs
        self.minimumLearningRate = minimumLearningRate
        self.plateauPatience = plateauPatience
        self.plateauFactor = plateauFactor
        self.earlyStoppingPatience = earlyStoppingPatience
        self.labelSmoothing = labelSmoothing
        self.classWeighting = classWeighting
        self.augmentation = augmentation
        self.dropoutStem = dropoutStem
        self.dropoutHead = dropoutHead
        self.seed = seed
        self.distillation = distillation
        self.testTimeAugmentation = testTimeAugmentation
        self.initialModel = initialModel
        self.weightAverageDecay = weightAverageDecay
        self.mixupAlpha = mixing.mixupAlpha
        self.cutmixAlpha = mixing.cutmixAlpha
        self.detectorCrops = detectorCrops
        self.detectorCropRate = detectorCropRate
    }

    /// Checks the values a user can get wrong; the message names the option.
    public func validate() throws {
        func check(_ ok: Bool, _ message: String) throws { if !ok { throw TrainingError(message) } }
        try check(epochs >= 1, "--epochs must be at least 1 (got \(epochs))")
        try check(batchSize >= 2, "--batch-size must be at least 2 (BatchNorm needs two images; got \(batchSize))")
        try check(learningRate > 0 && learningRate.isFinite, "--lr must be a positive number (got \(learningRate))")
        try check(momentum >= 0 && momentum < 1, "--momentum must be in [0, 1) (got \(momentum))")
        try check(weightDecay >= 0, "--weight-decay must not be negative (got \(weightDecay))")
        try check(minimumLearningRate >= 0 && minimumLearningRate <= learningRate,
                  "--min-lr must be between 0 and --lr (got \(minimumLearningRate))")
        try check(warmupEpochs >= 0 && warmupEpochs < Double(epochs),
                  "--warmup-epochs must be at least 0 and less than --epochs (got \(warmupEpochs))")
        try check(plateauPatience >= 0, "--plateau-patience must not be negative")
        try check(plateauFactor > 0 && plateauFactor < 1, "--plateau-factor must be in (0, 1) (got \(plateauFactor))")
        try check(earlyStoppingPatience >= 0, "--early-stop must not be negative (0 turns it off)")
        try check(labelSmoothing >= 0 && labelSmoothing < 1, "--label-smoothing must be in [0, 1) (got \(labelSmoothing))")
        try check(augmentation.maxShift >= 0 && augmentation.maxShift < inputSize / 2,
                  "--shift must be between 0 and \(inputSize / 2 - 1) pixels (got \(augmentation.maxShift))")
        try check(augmentation.maxRotation >= 0 && augmentation.maxRotation <= 45,
                  "--rotate must be between 0 and 45 degrees (got \(augmentation.maxRotation))")
        try check(augmentation.maxContrast >= 0 && augmentation.maxContrast <= 3,
                  "--contrast must be between 0 and 3 (got \(augmentation.maxContrast))")
        try check(augmentation.maxBrightness >= 0 && augmentation.maxBrightness <= 128,
                  "--brightness must be between 0 and 128 gray levels (got \(augmentation.maxBrightness))")
        try check(augmentation.maxScale >= 0 && augmentation.maxScale <= 1,
                  "--scale must be between 0 and 1 (got \(augmentation.maxScale))")
        try check(augmentation.erasing >= 0 && augmentation.erasing <= 1,
                  "--erase must be a probability between 0 and 1 (got \(augmentation.erasing))")
        try check(dropoutStem >= 0 && dropoutStem < 1 && dropoutHead >= 0 && dropoutHead < 1,
                  "--dropout values must be in [0, 1)")
        if let d = weightAverageDecay {
            try check(d > 0 && d < 1, "--ema must be a decay between 0 and 1, e.g. 0.999 (got \(d))")
        }
        for (name, alpha) in [("--mixup", mixupAlpha), ("--cutmix", cutmixAlpha)] {
            if let alpha { try check(alpha > 0 && alpha <= 10, "\(name) must be an α between 0 and 10, e.g. 0.2 (got \(alpha))") }
        }
        try check((detectorCrops == nil) == (detectorCropRate == nil),
                  "--detector-crop-rate needs --detector-crops (the detector whose crops are shown)")
        if let rate = detectorCropRate {
            try check(rate > 0 && rate <= 1, "--detector-crop-rate must be a probability above 0 and at most 1 (got \(rate))")
        }
        if let d = distillation {
            try check(!mixing.isOn || d.teacherViews == .augmented,
                      "--mixup and --cutmix need --teacher-views augmented when distilling (the cached logits are of "
                      + "unmixed images)")
            try check(d.temperature > 0 && d.temperature.isFinite, "--temperature must be positive (got \(d.temperature))")
            try check(d.beta >= 0 && d.beta.isFinite, "--beta must not be negative (got \(d.beta))")
        }
    }

    /// The settings that differ between `self` and `other`, as `name: mine vs theirs` (for resume errors).
    public func differences(from other: TrainingConfiguration) -> [String] {
        var out: [String] = []
        func compare<T: Equatable>(_ name: String, _ mine: T, _ theirs: T) {
            func text(_ value: T) -> String {
                if let optional = value as? OptionalDescribable { return optional.describedOrNone }
                return "\(value)"
            }
            if mine != theirs { out.append("\(name) \(text(theirs)) in the checkpoint, \(text(mine)) now") }
        }
        compare("arch", architecture, other.architecture)
        compare("input channels", inputChannels, other.inputChannels)
        compare("input size", inputSize, other.inputSize)
        compare("--epochs", epochs, other.epochs)
        compare("--batch-size", batchSize, other.batchSize)
        compare("--lr", learningRate, other.learningRate)
        compare("--momentum", momentum, other.momentum)
        compare("--nesterov", nesterov, other.nesterov)
        compare("--weight-decay", weightDecay, other.weightDecay)
        compare("--schedule", schedule, other.schedule)
        compare("--warmup-epochs", warmupEpochs, other.warmupEpochs)
        compare("--min-lr", minimumLearningRate, other.minimumLearningRate)
        compare("--plateau-patience", plateauPatience, other.plateauPatience)
        compare("--plateau-factor", plateauFactor, other.plateauFactor)
        compare("--early-stop", earlyStoppingPatience, other.earlyStoppingPatience)
        compare("--label-smoothing", labelSmoothing, other.labelSmoothing)
        compare("--class-weights", classWeighting, other.classWeighting)
        compare("--flip", augmentation.horizontalFlip, other.augmentation.horizontalFlip)
        compare("--shift", augmentation.maxShift, other.augmentation.maxShift)
        compare("--rotate", augmentation.maxRotation, other.augmentation.maxRotation)
        compare("--contrast", augmentation.maxContrast, other.augmentation.maxContrast)
        compare("--brightness", augmentation.maxBrightness, other.augmentation.maxBrightness)
        compare("--scale", augmentation.maxScale, other.augmentation.maxScale)
        compare("--erase", augmentation.erasing, other.augmentation.erasing)
        compare("--tta", (testTimeAugmentation ?? .none).rawValue, (other.testTimeAugmentation ?? .none).rawValue)
        compare("--dropout", "\(dropoutStem),\(dropoutHead)", "\(other.dropoutStem),\(other.dropoutHead)")
        compare("--seed", seed, other.seed)
        compare("--temperature", distillation?.temperature, other.distillation?.temperature)
        compare("--beta", distillation?.beta, other.distillation?.beta)
        compare("teacher", distillation?.teacher, other.distillation?.teacher)
        compare("--teacher-views", distillation?.teacherViews.rawValue, other.distillation?.teacherViews.rawValue)
        compare("--init", initialModel, other.initialModel)
        compare("--ema", weightAverageDecay, other.weightAverageDecay)
        compare("--mixup", mixupAlpha, other.mixupAlpha)
        compare("--cutmix", cutmixAlpha, other.cutmixAlpha)
        compare("--detector-crops", detectorCrops, other.detectorCrops)
        compare("--detector-crop-rate", detectorCropRate, other.detectorCropRate)
        return out
    }
}

/// Prints optionals as their value or `none` in resume messages.
private protocol OptionalDescribable { var describedOrNone: String { get } }
extension Optional: OptionalDescribable {
    fileprivate var describedOrNone: String { map { "\($0)" } ?? "none" }
}
