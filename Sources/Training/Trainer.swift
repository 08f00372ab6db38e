import EmotionModel
import Foundation
import NeuralNet

/// Trains a ResEmoteNet with SGD, supervised (`CE(y, s)`) or distilled from a teacher's logits, cached or
/// computed on each augmented batch (`CE(y, s) + β·T²·KL(softmax(t/T) ‖ softmax(s/T))`), keeping the best model on validation accuracy,
/// stopping early, and writing a checkpoint after every epoch (and when interrupted).
///
/// Every random choice comes from generators whose state the checkpoint carries: the weight
/// initialisation (the seed), each epoch's shuffle and augmentation plan (drawn from one epoch seed) and
/// the dropout masks. For a fixed seed and `Compute.threadCount` a run is deterministic, and a run resumed
/// from any checkpoint ends with the same bytes as one that never stopped.
public final class Trainer {
    public let configuration: TrainingConfiguration
    public let model: ResEmoteNet
    public let preprocessing: Preprocessing
    public let train: ImageDataset
    public let val: ImageDataset?
    public private(set) var progress: TrainingProgress

    /// Where checkpoints go (written atomically after every epoch and on interruption).
    public var checkpointURL: URL
    /// Prints epoch lines and the live progress; nil prints nothing.
    public var reporter: ProgressReporter?
    /// Polled after every batch; returning true saves a checkpoint and ends `run()` with `.interrupted`.
    public var shouldStop: () -> Bool = { false }
    /// Called after an epoch whose model became the one to ship (`finalState`): the best on validation, or
    /// every epoch with `keepsLastEpoch` (e.g. to write the model file).
    public var onImprovement: ((Trainer) throws -> Void)?
    /// Ship the last epoch's weights instead of the best on validation (`--keep last`): for runs judged by
    /// something other than the validation split's accuracy, such as `evaluate --through-detector`.
    public var keepsLastEpoch = false

    private let optimizer: SGD
    private let assembler: BatchAssembler
    /// The val split's assembler, made once.
    private lazy var valAssembler: BatchAssembler? = val.map { BatchAssembler(dataset: $0, preprocessing: preprocessing) }
    private let classWeights: [Float]
    private let teacherLogits: Tensor?
    private let liveTeachers: LiveTeachers?
    private let fingerprint: DataFingerprint
    private var bestState: [String: Tensor]?
    /// The moving average of the weights (`--ema`), nil without one.
    private var average: WeightAverage?
    private var checkpointSaved: String?
    /// Test hook: a batch number (counted over the whole run, from 1) whose loss is replaced by NaN.
    var injectNaNAtBatch: Int?
    private var batchesRun = 0
    /// A fresh run from given weights (`--init`): the starting model is scored on validation before the
    /// first epoch and stays the best until an epoch beats it.
    private var scoresStartingModel = false

    /// A fresh run.
    /// - Parameters:
    ///   - initialWeights: a state dict to start from (`--init`), or nil for random initialisation.
    ///   - preprocessing: the normalisation stored with the model (see `Trainer.normalization(of:)`).
    ///   - teacherLogits: `[train.count, 2, classes]` from `TeacherLogits.compute`, when distilling from
    ///     clean views.
    ///   - liveTeachers: the teachers, when distilling from augmented views (`TeacherViews.augmented`).
    public convenience init(configuration: TrainingConfiguration, train: ImageDataset, val: ImageDataset?,
                preprocessing: Preprocessing, initialWeights: [String: Tensor]? = nil, teacherLogits: Tensor? = nil,
                liveTeachers: LiveTeachers? = nil, checkpointURL: URL) throws {
        try configuration.validate()
        let architecture = try Self.architecture(configuration, classes: train.classNames.count)
        let model = ResEmoteNet(architecture: architecture, seed: configuration.seed,
                                dropoutRates: (configuration.dropoutStem, configuration.dropoutHead))
        if let initialWeights {
            do { try model.load(stateDict: initialWeights) } catch {
                throw TrainingError("--init: the model does not fit a \(configuration.architecture) network (\(error))")
            }
        }
        var sampler = RandomGenerator(seed: configuration.seed ^ 0x7261_696E_6572_2121)
        _ = sampler.next()
        let plateau = configuration.schedule == .plateau
            ? PlateauSchedule(learningRate: configuration.learningRate, mode: val == nil ? .min : .max,
                              factor: configuration.plateauFactor, patience: configuration.plateauPatience,
                              minimumLearningRate: configuration.minimumLearningRate)
            : nil
        let progress = TrainingProgress(sampler: sampler, dropout: model.dropoutGenerator, plateau: plateau)
        try self.init(configuration: configuration, model: model, preprocessing: preprocessing, train: train, val: val,
                      progress: progress, teacherLogits: teacherLogits, liveTeachers: liveTeachers,
                      checkpointURL: checkpointURL)
        scoresStartingModel = initialWeights != nil
    }

    /// Continues the run saved in `checkpoint`. The configuration and the data must be the ones it was made
    /// with; anything else is an error naming the difference. A run distilling from augmented views needs its
    /// teachers again (`liveTeachers`); cached logits come from the checkpoint.
    public convenience init(resuming checkpoint: Checkpoint, from url: URL, configuration: TrainingConfiguration,
                            train: ImageDataset, val: ImageDataset?, liveTeachers: LiveTeachers? = nil) throws {
        let differences = configuration.differences(from: checkpoint.configuration)
        guard differences.isEmpty else {
            throw TrainingError(url, "checkpoint was made with other settings: " + differences.joined(separator: "; ")
                                + " (rerun the original command with --resume, or start afresh with --overwrite)")
        }
        let fingerprint = DataFingerprint(train: train, val: val)
        guard fingerprint == checkpoint.data else {
            throw TrainingError(url, "checkpoint was made on other data (\(checkpoint.data.trainImages) train / "
                                + "\(checkpoint.data.valImages) val images, now \(train.count) / \(val?.count ?? 0), "
                                + "or the same counts with other pixels or labels)")
        }
        let architecture = try Self.architecture(checkpoint.configuration, classes: train.classNames.count)
        let model = ResEmoteNet(architecture: architecture, seed: configuration.seed,
                                dropoutRates: (configuration.dropoutStem, configuration.dropoutHead))
        do { try model.load(stateDict: checkpoint.model) } catch {
            throw TrainingError(url, "incompatible checkpoint: \(error)")
        }
        guard let dropout = RandomGenerator(stateWords: checkpoint.progress.dropout),
              RandomGenerator(stateWords: checkpoint.progress.sampler) != nil else {
            throw TrainingError(url, "incompatible checkpoint: generator state is invalid")
        }
        model.dropoutGenerator = dropout
        guard checkpoint.mean.count == architecture.inputChannels, checkpoint.std.count == architecture.inputChannels,
              checkpoint.std.allSatisfy({ $0 > 0 }) else {
            throw TrainingError(url, "incompatible checkpoint: normalisation does not fit the input channels")
        }
        let preprocessing = Preprocessing(inputSize: architecture.inputSize, inputChannels: architecture.inputChannels,
                                          mean: checkpoint.mean, std: checkpoint.std)
        if let logits = checkpoint.teacherLogits, logits.shape != [train.count, 2, architecture.classes] {
            throw TrainingError(url, "incompatible checkpoint: teacher logits have shape \(logits.shape)")
        }
        if configuration.distillation?.teacherViews == .clean && checkpoint.teacherLogits == nil {
            throw TrainingError(url, "incompatible checkpoint: distillation run without cached teacher logits")
        }
        try self.init(configuration: configuration, model: model, preprocessing: preprocessing, train: train, val: val,
                      progress: checkpoint.progress, teacherLogits: checkpoint.teacherLogits,
                      liveTeachers: liveTeachers, checkpointURL: url)
        do { try optimizer.load(stateDict: checkpoint.optimizer) } catch {
            throw TrainingError(url, "incompatible checkpoint: \(error)")
        }
        if configuration.weightAverageDecay != nil {
            guard let state = checkpoint.average, let decay = configuration.weightAverageDecay,
                  let restored = try? WeightAverage(decay: decay, state: state, for: model) else {
                throw TrainingError(url, "incompatible checkpoint: the moving average of the weights is missing or "
                                    + "does not fit the network")
            }
            average = restored
        }
        if let best = checkpoint.best {
            let probe = ResEmoteNet(architecture: architecture)
            do { try probe.load(stateDict: best) } catch {
                throw TrainingError(url, "incompatible checkpoint: best weights: \(error)")
            }
            bestState = best
        }
        checkpointSaved = "\(url.path) (epoch \(checkpoint.progress.completedEpochs)"
            + (checkpoint.progress.batchesDone > 0 ? ", batch \(checkpoint.progress.batchesDone))" : ")")
    }

    private init(configuration: TrainingConfiguration, model: ResEmoteNet, preprocessing: Preprocessing,
                 train: ImageDataset, val: ImageDataset?, progress: TrainingProgress, teacherLogits: Tensor?,
                 liveTeachers: LiveTeachers?, checkpointURL: URL) throws {
        guard train.side == preprocessing.inputSize, val.map({ $0.side == train.side }) ?? true else {
            throw TrainingError("data images are \(train.side)×\(train.side) but the model takes "
                                + "\(preprocessing.inputSize)×\(preprocessing.inputSize)")
        }
        guard train.count >= 2 else {
            throw TrainingError("\(train.source): at least 2 training images are needed (found \(train.count))")
        }
        if let detector = configuration.detectorCrops, train.detectorCrops == nil {
            throw TrainingError("--detector-crops \(detector): the training images have no detector crops attached")
        }
        switch configuration.distillation?.teacherViews {
        case .clean?:
            guard let teacherLogits, teacherLogits.shape == [train.count, 2, model.architecture.classes] else {
                throw TrainingError("distillation needs teacher logits for every training image")
            }
        case .augmented?:
            guard liveTeachers != nil else {
                throw TrainingError("distillation from augmented views needs the teacher models")
            }
        case nil:
            break
        }
        self.configuration = configuration
        self.model = model
        // The run's test-time augmentation is part of the model's preprocessing (and of its validation).
        var preprocessing = preprocessing
        preprocessing.testTimeAugmentation = configuration.testTimeAugmentation ?? .none
        self.preprocessing = preprocessing
        self.train = train
        self.val = val
        self.progress = progress
        self.teacherLogits = configuration.distillation?.teacherViews == .clean ? teacherLogits : nil
        self.liveTeachers = configuration.distillation?.teacherViews == .augmented ? liveTeachers : nil
        self.checkpointURL = checkpointURL
        optimizer = SGD(parameters: model.namedParameters, learningRate: configuration.learningRate,
                        momentum: configuration.momentum, weightDecay: configuration.weightDecay,
                        nesterov: configuration.nesterov)
        assembler = BatchAssembler(dataset: train, preprocessing: preprocessing)
        classWeights = configuration.classWeighting.weights(counts: train.classCounts)
        fingerprint = DataFingerprint(train: train, val: val)
        average = configuration.weightAverageDecay.map { WeightAverage(decay: $0, startingFrom: model) }
    }

    /// The architecture a configuration names.
    static func architecture(_ configuration: TrainingConfiguration, classes: Int) throws -> ResEmoteNetArchitecture {
        guard let width = ResEmoteNetArchitecture.Width(name: configuration.architecture) else {
            throw TrainingError("--arch must be teacher, A, B or C (got '\(configuration.architecture)')")
        }
        let architecture = ResEmoteNetArchitecture(width: width, inputChannels: configuration.inputChannels,
                                                   inputSize: configuration.inputSize, classes: classes)
        guard architecture.isSupported else {
            throw TrainingError("input must be 1 or 3 channels of 48×48 or 64×64 (got \(configuration.inputChannels) "
                                + "channels of \(configuration.inputSize)×\(configuration.inputSize))")
        }
        return architecture
    }

    /// Mean and standard deviation of all training pixels (scaled to [0, 1]): the normalisation of a model
    /// trained from scratch, the same value for every channel.
    public static func normalization(of dataset: ImageDataset) -> (mean: Float, std: Float) {
        var histogram = [Int](repeating: 0, count: 256)
        for p in dataset.pixels { histogram[Int(p)] += 1 }
        let n = Double(max(dataset.pixels.count, 1))
        var mean = 0.0
        for (v, c) in histogram.enumerated() { mean += Double(v) / 255 * Double(c) }
        mean /= n
        var variance = 0.0
        for (v, c) in histogram.enumerated() { variance += (Double(v) / 255 - mean) * (Double(v) / 255 - mean) * Double(c) }
        let std = (variance / n).squareRoot()
        return (Float(mean), Float(std > 1e-6 ? std : 1))
    }

    /// The weights to ship: the best on validation when there is a validation split (unless `keepsLastEpoch`),
    /// else the current ones (their moving average with `--ema`).
    public var finalState: [String: Tensor] { keepsLastEpoch ? currentState : bestState ?? currentState }

    /// The weights validation scores and the best-epoch choice keeps: the moving average with `--ema`, else
    /// the model's own.
    public var currentState: [String: Tensor] { average?.state ?? model.stateDict() }

    /// The final weights as a network (for saving or evaluating).
    public func finalNetwork() -> ResEmoteNet {
        let network = ResEmoteNet(architecture: model.architecture)
        // The state dict comes from a network of this very architecture.
        try? network.load(stateDict: finalState)
        return network
    }

    /// Batches per epoch: full batches, plus the remainder when it holds at least 2 images (BatchNorm needs
    /// two values per channel; a single left-over image waits for the next epoch's shuffle).
    public var batchesPerEpoch: Int {
        let n = train.count, b = configuration.batchSize
        return n / b + (n % b >= 2 ? 1 : 0)
    }

    /// Images per epoch (the dropped single left-over image, if any, excluded).
    private var imagesPerEpoch: Int { min(train.count, batchesPerEpoch * configuration.batchSize) }

    /// Runs until the configured epochs are done, early stopping ends the run, or `shouldStop` asks to stop.
    public func run() throws -> TrainingOutcome {
        let sessionStart = Date()
        var sessionEpochs = 0
        if let ending = progress.ending {
            return ending == .completed ? .completed : .stoppedEarly(epoch: progress.completedEpochs)
        }
        if scoresStartingModel && progress.completedEpochs == 0 && progress.batchesDone == 0
            && progress.startingModel == nil, let report = validationReport() {
            progress.startingModel = .init(accuracy: report.accuracy, macroF1: report.macroF1)
            progress.bestAccuracy = report.accuracy
            progress.bestEpoch = 0
            bestState = model.stateDict()
            reporter?.note(String(format: "--init model: val acc %.2f %%, macro-F1 %.4f; it is kept unless an epoch "
                                  + "beats it", report.accuracy * 100, report.macroF1))
        }
        while progress.completedEpochs < configuration.epochs {
            let epochStart = Date()
            let epochIndex = progress.completedEpochs
            if progress.batchesDone == 0 {
                var sampler = RandomGenerator(stateWords: progress.sampler)!
                progress.epochSeed = sampler.next()
                progress.sampler = sampler.stateWords
                progress.running = .init()
            }
            let (order, augmentations, mixes) = plan(epochSeed: progress.epochSeed)
            let batches = batchesPerEpoch
            reporter?.beginEpoch(epochIndex + 1, of: configuration.epochs, images: imagesPerEpoch)

            while progress.batchesDone < batches {
                let batchStart = Date()
                let b = progress.batchesDone
                let range = (b * configuration.batchSize)..<min(train.count, (b + 1) * configuration.batchSize)
                try trainStep(indices: order[range], augmentations: augmentations[range], mix: mixes?[b] ?? nil,
                              epoch: epochIndex, batch: b, batches: batches)
                progress.batchesDone += 1
                progress.running.seconds += Date().timeIntervalSince(batchStart)
                let r = progress.running
                reporter?.update(imagesDone: r.images, loss: r.loss / Double(r.images),
                                 accuracy: Double(r.correct) / Double(r.images))
                if progress.batchesDone < batches && shouldStop() {
                    try saveCheckpoint()
                    return .interrupted(epoch: epochIndex + 1, batch: progress.batchesDone)
                }
            }

            let summary = try finishEpoch(epochIndex, started: epochStart)
            sessionEpochs += 1
            let remaining = configuration.epochs - progress.completedEpochs
            let eta = progress.ending == nil && remaining > 0
                ? Date().timeIntervalSince(sessionStart) / Double(sessionEpochs) * Double(remaining) : nil
            reporter?.endEpoch(summary, eta: eta)
            if progress.ending == .earlyStopped {
                reporter?.note("early stop: validation accuracy did not improve for "
                               + "\(configuration.earlyStoppingPatience) epochs (best: epoch \(progress.bestEpoch ?? 0))")
                return .stoppedEarly(epoch: progress.completedEpochs)
            }
            if progress.ending == nil && shouldStop() {
                return .interrupted(epoch: progress.completedEpochs + 1, batch: 0)
            }
        }
        return .completed
    }

    /// An epoch's plan, all from its seed: a permutation of the training images, one augmentation per position
    /// and, with mixing, one mix per batch. Each later kind of draw comes after the earlier ones, so a run
    /// without a newer option has the plan it had before that option existed.
    func plan(epochSeed: UInt64) -> (order: [Int], augmentations: [Augmentation], mixes: [BatchMix?]?) {
        var generator = RandomGenerator(seed: epochSeed)
        let order = generator.permutation(train.count)
        var augmentations = order.map { _ in Augmentation.random(configuration.augmentation, side: train.side, using: &generator) }
        let mixes = configuration.mixing.isOn
            ? (0..<batchesPerEpoch).map { _ in BatchMix.random(configuration.mixing, side: train.side, using: &generator) }
            : nil
        // One draw per position whether or not the detector found that face.
        if let rate = configuration.detectorCropRate, let found = train.detectorCrops?.found {
            for position in augmentations.indices {
                let shown = generator.nextUnitFloat() < rate
                augmentations[position].detectorCrop = shown && found[order[position]]
            }
        }
        return (order, augmentations, mixes)
    }

    /// One SGD step on one batch.
    private func trainStep(indices: ArraySlice<Int>, augmentations: ArraySlice<Augmentation>, mix: BatchMix?,
                           epoch: Int, batch: Int, batches: Int) throws {
        optimizer.learningRate = learningRate(epoch: epoch, batch: batch, batches: batches)
        var x = assembler.batch(indices, augmentations: augmentations)
        mix?.apply(to: &x)
        let targets = indices.map { train.labels[$0] }
        let logits = model.forward(x, training: true)
        let ce = mix.map { $0.crossEntropy(logits: logits, targets: targets, classWeights: classWeights,
                                           labelSmoothing: configuration.labelSmoothing) }
            ?? Loss.crossEntropy(logits: logits, targets: targets, classWeights: classWeights,
                                 labelSmoothing: configuration.labelSmoothing)
        var total = ce
        var kdValue: Float = 0
        if let distillation = configuration.distillation {
            let t = teacherTargets(indices: indices, augmentations: augmentations, mix: mix, classes: logits.shape[1])
            let kd = Loss.distillation(studentLogits: logits, teacherLogits: t, temperature: distillation.temperature)
            kdValue = kd.value
            total = ce.combined(with: kd, factor: distillation.beta)
        }
        batchesRun += 1
        let value = injectNaNAtBatch == batchesRun ? Float.nan : total.value
        guard value.isFinite else {
            throw TrainingError("the loss became \(value.isNaN ? "NaN" : "infinite") at epoch \(epoch + 1), batch "
                                + "\(batch + 1)/\(batches) (learning rate \(optimizer.learningRate)); " + divergenceAdvice)
        }
        optimizer.zeroGrad()
        model.backward(total.gradient)
        optimizer.step()
        average?.update(from: model)
        let n = indices.count
        let predicted = Evaluator.predictions(logits)
        progress.running.images += n
        progress.running.correct += zip(predicted, targets).filter { $0 == $1 }.count
        progress.running.loss += Double(value) * Double(n)
        progress.running.crossEntropy += Double(ce.value) * Double(n)
        progress.running.distillation += Double(kdValue) * Double(n)
        progress.dropout = model.dropoutGenerator.stateWords
    }

    /// The teacher logits `[indices.count, classes]` for a batch: the live teachers' on the augmented (and
    /// mixed) images, else the cached logits of each image as is or mirrored, as its augmentation flips it
    /// (mixing needs live teachers: `TrainingConfiguration.validate`).
    private func teacherTargets(indices: ArraySlice<Int>, augmentations: ArraySlice<Augmentation>, mix: BatchMix?,
                                classes: Int) -> Tensor {
        if let liveTeachers { return liveTeachers.logits(indices, augmentations: augmentations, mix: mix) }
        guard let teacherLogits else { preconditionFailure("distillation without teacher logits") }
        var t = Tensor(shape: [indices.count, classes])
        for (row, (index, augmentation)) in zip(indices, augmentations).enumerated() {
            let offset = (index * 2 + (augmentation.flip ? 1 : 0)) * classes
            for j in 0..<classes { t.storage[row * classes + j] = teacherLogits.storage[offset + j] }
        }
        return t
    }

    /// What to do after the loss or the weights diverged. Resuming cannot help: the checkpoint replays the
    /// same batches at the same rates (and `--resume` refuses another `--lr`), so the advice is a fresh run.
    private var divergenceAdvice: String {
        guard let checkpointSaved else {
            return "stopped without saving (no checkpoint was saved yet). Run again with a lower --lr."
        }
        return "stopped without saving; \(checkpointSaved) is left as it was, but resuming it would diverge the "
            + "same way. Start afresh with a lower --lr and --overwrite."
    }

    /// The learning rate of a batch.
    private func learningRate(epoch: Int, batch: Int, batches: Int) -> Float {
        switch configuration.schedule {
        case .cosine:
            let schedule = CosineSchedule(baseLearningRate: configuration.learningRate,
                                          minimumLearningRate: configuration.minimumLearningRate,
                                          totalEpochs: Double(configuration.epochs), warmupEpochs: configuration.warmupEpochs)
            return schedule.learningRate(atEpoch: Double(epoch) + Double(batch) / Double(batches))
        case .plateau:
            return progress.plateau?.learningRate ?? configuration.learningRate
        }
    }

    /// Validation, best model, schedule, early stopping and the checkpoint at the end of an epoch.
    private func finishEpoch(_ epochIndex: Int, started: Date) throws -> EpochSummary {
        for (name, p) in model.namedParameters where !p.value.storage.allSatisfy(\.isFinite) {
            throw TrainingError("weights became NaN or infinite (tensor \(name)) in epoch \(epochIndex + 1); "
                                + divergenceAdvice)
        }
        let valReport = validationReport()
        let r = progress.running
        let images = Double(max(r.images, 1))
        var isBest = false
        if let valReport {
            if progress.bestAccuracy.map({ valReport.accuracy > $0 }) ?? true {
                progress.bestAccuracy = valReport.accuracy
                progress.bestEpoch = epochIndex + 1
                progress.epochsWithoutImprovement = 0
                bestState = currentState
                isBest = true
            } else {
                progress.epochsWithoutImprovement += 1
            }
        }
        let learningRate = optimizer.learningRate
        if var plateau = progress.plateau {
            plateau.step(metric: valReport?.accuracy ?? r.loss / images)
            progress.plateau = plateau
        }
        let summary = EpochSummary(
            epoch: epochIndex + 1, trainLoss: r.loss / images, crossEntropy: r.crossEntropy / images,
            distillation: configuration.distillation == nil ? nil : r.distillation / images,
            trainAccuracy: Double(r.correct) / images, valAccuracy: valReport?.accuracy, valMacroF1: valReport?.macroF1,
            learningRate: learningRate, imagesPerSecond: r.seconds > 0 ? Double(r.images) / r.seconds : 0,
            seconds: Date().timeIntervalSince(started), isBest: isBest)
        progress.history.append(summary)
        progress.completedEpochs += 1
        progress.batchesDone = 0
        progress.running = .init()
        if progress.completedEpochs >= configuration.epochs {
            progress.ending = .completed
        } else if val != nil, configuration.earlyStoppingPatience > 0,
                  progress.epochsWithoutImprovement >= configuration.earlyStoppingPatience {
            progress.ending = .earlyStopped
        }
        try saveCheckpoint()
        if isBest || keepsLastEpoch { try onImprovement?(self) }
        return summary
    }

    /// The current model on the validation split (nil without one).
    private func validationReport() -> EvaluationReport? {
        guard let val, let valAssembler else { return nil }
        var network = model
        if let average {
            network = ResEmoteNet(architecture: model.architecture)
            // The average was made for this very architecture.
            try? network.load(stateDict: average.state)
        }
        let predicted = Evaluator.predictions(Evaluator.scores(InferenceNetwork(network), valAssembler,
                                                               testTime: preprocessing.testTimeAugmentation))
        return EvaluationReport(classNames: val.classNames, truth: val.labels, predicted: predicted)
    }

    /// Writes the checkpoint of the current state.
    public func saveCheckpoint() throws {
        let checkpoint = Checkpoint(
            configuration: configuration, progress: progress, data: fingerprint, mean: preprocessing.mean,
            std: preprocessing.std, threads: Compute.threadCount, model: model.stateDict(),
            optimizer: optimizer.stateDict(), best: bestState, average: average?.state, teacherLogits: teacherLogits)
        try checkpoint.write(to: checkpointURL)
        checkpointSaved = "\(checkpointURL.path) (epoch \(progress.completedEpochs)"
            + (progress.batchesDone > 0 ? ", batch \(progress.batchesDone))" : ")")
    }

    /// A JSON object for the model file's `training` metadata: data, epochs, best validation scores and the
    /// whole configuration (`val_accuracy` is what `emotelab models` lists).
    public func trainingSummary(dataDescription: String) -> String {
        struct Summary: Encodable {
            var data: String
            var train_images: Int
            var val_images: Int
            var epochs_run: Int
            var best_epoch: Int?
            /// Set with `--keep last`: the epoch whose weights (and scores) the file holds.
            var kept_epoch: Int?
            var val_accuracy: Double?
            var val_macro_f1: Double?
            var configuration: TrainingConfiguration
        }
        let bestEpoch = progress.bestEpoch
        let best = bestEpoch.flatMap { e in progress.history.first { $0.epoch == e } }
        let last = progress.history.last
        // Best epoch 0: no epoch beat the --init model, whose scores are the ones kept.
        let kept = bestEpoch == 0 && !keepsLastEpoch ? progress.startingModel : nil
        let shipped = keepsLastEpoch ? last : best ?? last
        let summary = Summary(
            data: dataDescription, train_images: train.count, val_images: val?.count ?? 0,
            epochs_run: progress.completedEpochs, best_epoch: bestEpoch,
            kept_epoch: keepsLastEpoch ? last?.epoch : nil,
            val_accuracy: kept?.accuracy ?? shipped?.valAccuracy,
            val_macro_f1: kept?.macroF1 ?? shipped?.valMacroF1,
            configuration: configuration)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(summary)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
