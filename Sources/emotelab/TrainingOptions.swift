import Analysis
import ArgumentParser
import EmotionModel
import Foundation
import NeuralNet
import Training

/// Options `train` and `distill` share: data, output, checkpoints, optimisation, augmentation.
struct TrainingOptions: ParsableArguments {
    enum ScheduleName: String, ExpressibleByArgument, CaseIterable { case cosine, plateau }
    enum Weighting: String, ExpressibleByArgument, CaseIterable {
        case inverse, sqrtInverse = "sqrt-inverse", none
    }
    enum DType: String, ExpressibleByArgument, CaseIterable { case f32, f16 }
    enum Keep: String, ExpressibleByArgument, CaseIterable { case best, last }

    // MARK: Data and files
    @Option(help: ArgumentHelp("Labelled faces: a folder <data>/<split>/<class>/*.jpg|png, or a FER2013 CSV file "
                               + "(emotion,pixels,Usage).", valueName: "dir-or-csv"))
    var data: String

    @Option(help: "Split to train on (a folder under --data; FER2013 CSV: train = Training).")
    var trainSplit: String = "train"

    @Option(help: ArgumentHelp("Split for validation, model selection and early stopping (default: val, or none "
                               + "when the data has no val split; CSV: val = PublicTest); 'none' trains without one. "
                               + "A split named here must exist.", valueName: "split"))
    var valSplit: String?

    @Option(help: ArgumentHelp("Checkpoint file, written after every epoch and on Ctrl-C (default: beside --out, "
                               + "<out>.checkpoint.safetensors).", valueName: "file"))
    var checkpoint: String?

    @Flag(help: "Continue the run saved in the checkpoint (run the same command again with --resume).")
    var resume = false

    @Flag(help: "Replace an existing --out file or checkpoint when starting afresh.")
    var overwrite = false

    @Option(help: ArgumentHelp("Start from this model's weights (file or shipped name A, B, C, default) to fine-tune it; "
                               + "its architecture and normalisation are kept. It is scored on --val-split first and "
                               + "written unchanged unless an epoch beats it.", valueName: "model"))
    var `init`: String?

    @Option(help: "Element type of the written model: f32, or f16 (half the size).")
    var dtype: DType = .f32

    @Option(help: ArgumentHelp("Which weights --out holds: best (the epoch best on --val-split, or the --init model "
                               + "when none beats it) or last (the last epoch's, written after every epoch; for runs "
                               + "judged otherwise, e.g. by evaluate --through-detector).", valueName: "best|last"))
    var keep: Keep = .best

    // MARK: Optimisation
    @Option(help: "Epochs to train.")
    var epochs: Int = 30

    @Option(help: "Images per SGD step.")
    var batchSize: Int = 64

    @Option(name: .customLong("lr"), help: "Base learning rate.")
    var learningRate: Float = 0.01

    @Option(help: "SGD momentum.")
    var momentum: Float = 0.9

    @Flag(help: "Nesterov momentum.")
    var nesterov = false

    @Option(help: "L2 weight decay.")
    var weightDecay: Float = 5e-4

    @Option(help: ArgumentHelp("Learning-rate schedule: cosine (per batch, to --min-lr) or plateau (×--plateau-factor "
                               + "when validation accuracy stalls)."))
    var schedule: ScheduleName = .cosine

    @Option(help: "Cosine: epochs of linear warm-up.")
    var warmupEpochs: Double = 0

    @Option(name: .customLong("min-lr"), help: "Lowest learning rate of either schedule.")
    var minimumLearningRate: Float = 0

    @Option(help: "Plateau: epochs without improvement before the rate is cut.")
    var plateauPatience: Int = 3

    @Option(help: "Plateau: factor the rate is multiplied by.")
    var plateauFactor: Float = 0.1

    @Option(help: "Stop after this many epochs without a better validation accuracy (0: never).")
    var earlyStop: Int = 10

    @Option(help: "Label smoothing ε of the cross-entropy term.")
    var labelSmoothing: Float = 0

    @Option(help: "Class weights of the cross-entropy term: inverse (frequency), sqrt-inverse, none.")
    var classWeights: Weighting = .inverse

    @Option(help: "Dropout probability after the first two convolution blocks.")
    var dropoutStem: Float = 0.2

    @Option(help: "Dropout probability in the fully connected head.")
    var dropoutHead: Float = 0.5

    @Option(help: ArgumentHelp("Keep an exponential moving average of the weights with this decay per step (e.g. "
                               + "0.9995, about the last 2,000 steps); validation, the best epoch and the written "
                               + "model then use the average (default: no average).", valueName: "decay"))
    var ema: Float?

    // MARK: Augmentation
    @Flag(inversion: .prefixedNo, help: "Random horizontal flips.")
    var flip = true

    @Option(help: "Largest random shift in pixels (0: off).")
    var shift: Int = 0

    @Option(help: "Largest random rotation in degrees (0: off).")
    var rotate: Float = 0

    @Option(help: ArgumentHelp("Contrast jitter: each image's contrast is scaled by a factor between 1/(1+C) and 1+C "
                               + "(0: off).", valueName: "C"))
    var contrast: Float = 0

    @Option(help: ArgumentHelp("Brightness jitter: up to this many gray levels added or taken away (0: off).",
                               valueName: "levels"))
    var brightness: Float = 0

    @Option(help: ArgumentHelp("Scale jitter: each image is zoomed about its centre by a factor between 1/(1+S) and "
                               + "1+S, as detector boxes vary in size (0: off).", valueName: "S"))
    var scale: Float = 0

    @Option(help: ArgumentHelp("Random erasing: the probability that a rectangle of 2-40 % of the image is filled with "
                               + "noise (0: off).", valueName: "P"))
    var erase: Float = 0

    @Option(help: ArgumentHelp("mixup: blend each image of a batch with another, λ·x + (1−λ)·x′, and their labels "
                               + "likewise, λ ~ Beta(α, α), e.g. 0.2 (default: off).", valueName: "α"))
    var mixup: Float?

    @Option(help: ArgumentHelp("CutMix: replace a rectangle of each image of a batch, of area (1−λ), by another "
                               + "image's, and mix their labels by area, λ ~ Beta(α, α), e.g. 1 (default: off). "
                               + "With --mixup too, each batch uses one of the two.", valueName: "α"))
    var cutmix: Float?

    @Option(help: ArgumentHelp("Show training faces as analyze crops them, with probability --detector-crop-rate each "
                               + "epoch: each image enlarged 4x onto a gray canvas, searched with this detector "
                               + "(blazeface, as analyze by default; haar, lbp or a cascade file) and cut around the "
                               + "largest face with analyze's crop geometry, before the other augmentations. Faces it "
                               + "does not find stay as the data registers them (default: off).", valueName: "detector"))
    var detectorCrops: String?

    @Option(help: ArgumentHelp("With --detector-crops: the probability that a face is shown as the detector cuts it "
                               + "(default 0.5).", valueName: "P"))
    var detectorCropRate: Float?

    // MARK: Preprocessing
    @Option(help: ArgumentHelp("Test-time augmentation stored with the model and used for validation: mirror (average "
                               + "the face and its mirror image; twice the classification work), mirror-shift-zoom "
                               + "(14 views: shifted 2 px four ways and zoomed ×0.92/×1.08, each mirrored too) or none "
                               + "(default: none, or the --init model's).", valueName: "none|mirror|mirror-shift-zoom"))
    var tta: TestTimeAugmentation?

    // MARK: Reproducibility
    @Option(help: "Random seed (weights, shuffling, augmentation, dropout).")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Worker threads (default: all cores). Runs are bit-for-bit reproducible for the same "
                               + "seed and thread count."))
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if resume && overwrite { throw ValidationError("--resume and --overwrite exclude each other") }
    }

    /// The request for `architecture` (nil: from --init or B) and the teachers (none: plain training).
    func request(output: String, architecture: String?, inputChannels: Int?, inputSize: Int?,
                 distillation: TrainingConfiguration.Distillation?, teachers: [URL]) throws -> TrainingRequest {
        let settings = TrainingConfiguration(
            architecture: architecture ?? "B", epochs: epochs, batchSize: batchSize, learningRate: learningRate,
            momentum: momentum, nesterov: nesterov, weightDecay: weightDecay,
            schedule: schedule == .cosine ? .cosine : .plateau, warmupEpochs: warmupEpochs,
            minimumLearningRate: minimumLearningRate, plateauPatience: plateauPatience,
            plateauFactor: plateauFactor, earlyStoppingPatience: earlyStop, labelSmoothing: labelSmoothing,
            classWeighting: ClassWeighting(rawValue: classWeights.rawValue) ?? .inverse,
            augmentation: AugmentationOptions(horizontalFlip: flip, maxShift: shift, maxRotation: rotate,
                                              maxContrast: contrast, maxBrightness: brightness,
                                              maxScale: scale, erasing: erase),
            dropoutStem: dropoutStem, dropoutHead: dropoutHead, seed: seed, distillation: distillation,
            testTimeAugmentation: tta, weightAverageDecay: ema,
            mixing: MixingOptions(mixupAlpha: mixup, cutmixAlpha: cutmix),
            detectorCrops: detectorCrops, detectorCropRate: detectorCrops == nil ? detectorCropRate : detectorCropRate ?? 0.5)
        let out = URL(fileURLWithPath: output)
        var request = TrainingRequest(
            data: URL(fileURLWithPath: data), output: out,
            checkpoint: checkpoint.map { URL(fileURLWithPath: $0) } ?? TrainingRequest.defaultCheckpoint(for: out),
            settings: settings)
        request.trainSplit = trainSplit
        request.valSplit = valSplit?.lowercased() == "none" ? nil : valSplit ?? "val"
        request.requireValSplit = valSplit != nil && request.valSplit != nil
        request.resume = resume
        request.overwrite = overwrite
        request.initialModel = try `init`.map { try ModelCatalog.resolve($0) }
        request.teachers = teachers
        request.architecture = architecture
        request.inputChannels = inputChannels
        request.inputSize = inputSize
        request.outputType = dtype == .f16 ? .f16 : .f32
        request.keepsLastEpoch = keep == .last
        if let detectorCrops {
            request.detectorCropping = { dataset in
                try StillFaceCrop(detector: DetectorChoice(argument: detectorCrops).load())
                    .crops(of: dataset, threads: Compute.threadCount)
            }
        }
        return request
    }

    /// Runs a training request with Ctrl-C handling; errors print as `error: …` and exit 1, an
    /// interrupted run exits 130 after saving its checkpoint.
    func run(_ makeRequest: () throws -> TrainingRequest) throws {
        if let threads { Compute.threadCount = threads }
        try reportingFailures {
            let job = TrainingJob(try makeRequest(), reporter: ProgressReporter.standard())
            let monitor = InterruptMonitor()
            monitor.start {
                FileHandle.standardError.write(Data(
                    "\ninterrupted: finishing this batch and saving a checkpoint (Ctrl-C again quits without saving)\n".utf8))
            }
            defer { monitor.stop() }
            if case .interrupted = try job.run(shouldStop: { monitor.isInterrupted }) {
                throw ExitCode(130)
            }
        }
    }
}

extension TestTimeAugmentation: ExpressibleByArgument {}
extension TrainingConfiguration.TeacherViews: ExpressibleByArgument {}
