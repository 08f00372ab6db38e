import EmotionModel
import Foundation
import NeuralNet

/// What `emotelab train` / `emotelab distill` asked for.
public struct TrainingRequest: Sendable {
    /// A class-folder tree or a FER2013 CSV.
    public var data: URL
    public var trainSplit = "train"
    /// The validation split; nil trains without validation, and so does a split the data lacks unless
    /// `requireValSplit` is set (the user named it).
    public var valSplit: String? = "val"
    /// A missing `valSplit` is an error rather than a warning.
    public var requireValSplit = false
    /// The model file to write (the best on validation, else the last epoch's).
    public var output: URL
    /// The checkpoint file (written every epoch).
    public var checkpoint: URL
    public var resume = false
    /// Replace an existing output or checkpoint when starting afresh.
    public var overwrite = false
    /// Start from this model's weights (`--init`).
    public var initialModel: URL?
    /// Distil from this model, or from the mean logits of several (an ensemble); needs
    /// `settings.distillation`, whose `teacher` field is filled in here.
    public var teachers: [URL] = []
    /// Architecture and input shape; nil takes them from `initialModel`, else B, 1 channel, 48×48.
    public var architecture: String?
    public var inputChannels: Int?
    public var inputSize: Int?
    /// All other hyper-parameters (its architecture and input fields are replaced by the resolved ones).
    public var settings: TrainingConfiguration
    /// `.f32` or `.f16` for the output model file.
    public var outputType: SafetensorsFile.DType = .f32
    /// Write the last epoch's weights rather than the best on validation (`--keep last`).
    public var keepsLastEpoch = false
    /// Cuts the training images as analysis would (nil where no face is found); needed when
    /// `settings.detectorCrops` is set. The CLI supplies it from Analysis's `StillFaceCrop`, which this module
    /// does not depend on.
    public var detectorCropping: DetectorCropping?

    public init(data: URL, output: URL, checkpoint: URL, settings: TrainingConfiguration) {
        self.data = data
        self.output = output
        self.checkpoint = checkpoint
        self.settings = settings
    }

    /// The default checkpoint beside an output file: `B.safetensors` → `B.checkpoint.safetensors`.
    public static func defaultCheckpoint(for output: URL) -> URL {
        let base = output.pathExtension.lowercased() == "safetensors" ? output.deletingPathExtension() : output
        return base.appendingPathExtension("checkpoint.safetensors")
    }
}

/// Cuts every image of a dataset (each `side × side`) as the analysis crop path would, at the same side: one
/// crop per image, nil where the detector finds no face.
public typealias DetectorCropping = @Sendable (_ images: ImageDataset) throws -> [[UInt8]?]

/// Runs one training request end to end: checks every input before touching any file, loads the data
/// and models, caches teacher logits, trains with checkpoints, and writes the model file.
public final class TrainingJob {
    public let request: TrainingRequest
    private let reporter: ProgressReporter

    public init(_ request: TrainingRequest, reporter: ProgressReporter) {
        self.request = request
        self.reporter = reporter
    }

    /// Trains; `shouldStop` is polled after every batch (Ctrl-C). Errors are `TrainingError`s (or
    /// EmotionModel/VideoIO errors) whose description is one line.
    @discardableResult
    public func run(shouldStop: @escaping () -> Bool = { false }) throws -> TrainingOutcome {
        let r = request
        try checkPaths()
        let checkpoint = r.resume ? try Checkpoint(contentsOf: r.checkpoint) : nil
        let initial = try r.initialModel.map { try loadModel($0, role: "--init") }
        let teachers = try r.teachers.map { try loadModel($0, role: "--teacher") }
        if r.settings.distillation != nil && teachers.isEmpty {
            throw TrainingError("distillation needs a teacher model (--teacher)")
        }

        // Resolve the architecture and the final configuration.
        var config = r.settings
        let initArchitecture = initial?.model.network.architecture
        config.architecture = r.architecture ?? initArchitecture?.width.rawValue ?? "B"
        config.inputChannels = r.inputChannels ?? initArchitecture?.inputChannels ?? 1
        config.inputSize = r.inputSize ?? initArchitecture?.inputSize ?? 48
        if let initArchitecture {
            let wanted = "\(config.architecture) with \(config.inputChannels) channel(s) of \(config.inputSize)×\(config.inputSize)"
            let found = "\(initArchitecture.width.rawValue) with \(initArchitecture.inputChannels) channel(s) of "
                + "\(initArchitecture.inputSize)×\(initArchitecture.inputSize)"
            // Another input size is allowed when asked for: the network ends in global average pooling, so the
            // same weights run at 48×48 and 64×64 (a fine-tune adapts them).
            guard ResEmoteNetArchitecture.Width(name: config.architecture) == initArchitecture.width,
                  config.inputChannels == initArchitecture.inputChannels,
                  config.inputSize == initArchitecture.inputSize || r.inputSize != nil
            else {
                throw TrainingError(initial!.url, "--init model is \(found), but the run asks for \(wanted)")
            }
        }
        config.initialModel = initial?.description
        // A fine-tune keeps its starting model's test-time augmentation unless --tta names one.
        if config.testTimeAugmentation == nil, let tta = initial?.model.metadata.preprocessing.testTimeAugmentation,
           tta != .none {
            config.testTimeAugmentation = tta
        }
        if !teachers.isEmpty { config.distillation?.teacher = teachers.map(\.description).joined(separator: " + ") }
        try config.validate()
        _ = try Trainer.architecture(config, classes: EmotionLabel.allCases.count)
        if config.distillation?.teacherViews == .augmented {
            try LiveTeachers.check(teachers.map(\.model), side: config.inputSize)
        }
        if let detector = config.detectorCrops, r.detectorCropping == nil {
            throw TrainingError("--detector-crops \(detector): this training job has no face detector to cut the images with")
        }
        if let checkpoint {
            let differences = config.differences(from: checkpoint.configuration)
            guard differences.isEmpty else {
                throw TrainingError(r.checkpoint, "checkpoint was made with other settings: "
                                    + differences.joined(separator: "; ")
                                    + " (rerun the original command with --resume, or start afresh with --overwrite)")
            }
        }

        // Data.
        let source = try DatasetSource(r.data)
        var warnings: [String] = []
        let started = Date()
        let valSplits = r.valSplit.map { [$0] } ?? []
        let sets = try source.load(required: [r.trainSplit] + (r.requireValSplit ? valSplits : []),
                                   optional: r.requireValSplit ? [] : valSplits,
                                   side: config.inputSize, classNames: EmotionLabel.names,
                                   resize: { Preprocessing.resize($0, width: $1, height: $2, to: $3) },
                                   threads: Compute.threadCount, warnings: &warnings)
        for warning in warnings { reporter.warn(warning) }
        var train = sets[r.trainSplit]!
        let val = r.valSplit.flatMap { sets[$0] }
        reporter.note("data: \(r.data.path): \(train.count) \(r.trainSplit) images"
                      + (val.map { ", \($0.count) \(r.valSplit!) images" } ?? "")
                      + String(format: " (loaded in %.1f s)", Date().timeIntervalSince(started)))
        if let valSplit = r.valSplit, val == nil {
            reporter.warn("\(r.data.path) has no '\(valSplit)' split: training without validation "
                          + "(the last epoch's model is kept, no early stopping)")
        }
        for (c, count) in train.classCounts.enumerated() where count == 0 {
            reporter.warn("no \(EmotionLabel.names[c]) images in the \(r.trainSplit) split")
        }

        if let detector = config.detectorCrops, let cropping = r.detectorCropping, let rate = config.detectorCropRate {
            let t0 = Date()
            let crops = DetectorCrops(detector: detector, crops: try cropping(train), of: train)
            guard crops.foundCount > 0 else {
                throw TrainingError("--detector-crops \(detector): no face found in any of the \(train.count) "
                                    + "\(r.trainSplit) images")
            }
            train = train.withDetectorCrops(crops)
            reporter.note(String(format: "detector crops: %@ found a face in %d of %d %@ images (%.1f s); each epoch "
                                 + "shows a face as it cuts it with probability %g", detector, crops.foundCount,
                                 train.count, r.trainSplit, Date().timeIntervalSince(t0), Double(rate)))
        }

        // Trainer.
        let trainer: Trainer
        let live = config.distillation?.teacherViews == .augmented
            ? try LiveTeachers(teachers: teachers.map(\.model), dataset: train) : nil
        if live != nil {
            reporter.note((teachers.count == 1 ? "teacher: " : "teachers (mean logits): ")
                          + teachers.map(\.url.path).joined(separator: ", ")
                          + ": run on every batch as the student sees it (--teacher-views augmented)")
        }
        if let checkpoint {
            trainer = try Trainer(resuming: checkpoint, from: r.checkpoint, configuration: config, train: train, val: val,
                                  liveTeachers: live)
            if checkpoint.threads != Compute.threadCount {
                reporter.warn("the checkpoint was made with \(checkpoint.threads) threads, this run uses "
                              + "\(Compute.threadCount): results may differ from an uninterrupted run in the last bits")
            }
            reporter.note("resuming \(r.checkpoint.path) after epoch \(checkpoint.progress.completedEpochs)"
                          + (checkpoint.progress.batchesDone > 0 ? ", batch \(checkpoint.progress.batchesDone)" : ""))
        } else {
            let preprocessing: Preprocessing
            if let initial {
                var kept = initial.model.metadata.preprocessing
                kept.inputSize = config.inputSize
                preprocessing = kept
            } else {
                let n = Trainer.normalization(of: train)
                preprocessing = Preprocessing(inputSize: config.inputSize, inputChannels: config.inputChannels,
                                              mean: [Float](repeating: n.mean, count: config.inputChannels),
                                              std: [Float](repeating: n.std, count: config.inputChannels))
            }
            var logits: Tensor?
            if !teachers.isEmpty && live == nil {
                let t0 = Date()
                logits = TeacherLogits.compute(teachers: teachers.map(\.model), dataset: train)
                reporter.note((teachers.count == 1 ? "teacher: " : "teachers (mean logits): ")
                              + teachers.map(\.url.path).joined(separator: ", ")
                              + ": logits of \(train.count) images, as is and mirrored, "
                              + String(format: "in %.1f s", Date().timeIntervalSince(t0)))
            }
            trainer = try Trainer(configuration: config, train: train, val: val, preprocessing: preprocessing,
                                  initialWeights: initial?.model.network.stateDict(), teacherLogits: logits,
                                  liveTeachers: live, checkpointURL: r.checkpoint)
        }
        trainer.reporter = reporter
        trainer.shouldStop = shouldStop
        trainer.keepsLastEpoch = r.keepsLastEpoch
        let dataDescription = "\(r.data.lastPathComponent)/\(r.trainSplit)"
        trainer.onImprovement = { [weak self] trainer in
            try self?.writeModel(trainer, dataDescription: dataDescription)
        }
        reporter.note("training \(config.architecture) (\(trainer.model.parameterCount) parameters) for "
                      + "\(config.epochs) epochs of \(trainer.batchesPerEpoch) batches"
                      + (config.distillation.map { ", distilling at T = \($0.temperature), β = \($0.beta)" } ?? "")
                      + ", \(Compute.threadCount) threads")

        if shouldStop() {
            reporter.note("interrupted before training began: nothing was written")
            return .interrupted(epoch: trainer.progress.completedEpochs + 1, batch: trainer.progress.batchesDone)
        }
        let outcome = try trainer.run()
        switch outcome {
        case .completed, .stoppedEarly:
            try writeModel(trainer, dataDescription: dataDescription)
            let p = trainer.progress
            let bestText = p.bestEpoch.map { e in
                e == 0 ? String(format: "no epoch beat the --init model's validation accuracy (%.2f %%)", (p.bestAccuracy ?? 0) * 100)
                    : String(format: "best validation accuracy %.2f %% at epoch %d", (p.bestAccuracy ?? 0) * 100, e)
            }
            let best: String
            if r.keepsLastEpoch {
                best = "kept the last epoch (--keep last"
                    + (p.history.last?.valAccuracy.map { String(format: ": val acc %.2f %%", $0 * 100) } ?? "") + ")"
                    + (bestText.map { "; \($0)" } ?? "")
            } else {
                best = bestText.map { p.bestEpoch == 0 ? $0 + ": kept it" : $0 } ?? "no validation split: kept the last epoch"
            }
            let seconds = trainer.progress.history.reduce(0) { $0 + $1.seconds }
            reporter.note("done: \(trainer.progress.completedEpochs) epochs in \(EpochSummary.duration(seconds)) "
                          + "(all sessions), \(best); wrote \(r.output.path)")
        case .interrupted(let epoch, let batch):
            reporter.note("interrupted in epoch \(epoch)" + (batch > 0 ? " after batch \(batch)" : " (before it began)")
                          + ": checkpoint saved to \(r.checkpoint.path); continue with the same command plus --resume")
        }
        return outcome
    }

    /// Refuses to overwrite anything, or to start a run whose files cannot be written, before any work
    /// is done.
    private func checkPaths() throws {
        let r = request
        let fm = FileManager.default
        for (url, option) in [(r.output, "--out"), (r.checkpoint, "--checkpoint")] {
            if let problem = OutputLocation.problem(creating: url.path) {
                throw TrainingError(url, "\(option): \(problem)")
            }
        }
        if let valSplit = r.valSplit, valSplit == r.trainSplit {
            throw TrainingError("--train-split and --val-split are both '\(valSplit)': validation needs images the "
                                + "model does not train on (--val-split none trains without validation)")
        }
        let inputs = ([r.data, r.initialModel] + r.teachers).compactMap { $0?.standardizedFileURL.path }
        for (url, option) in [(r.output, "--out"), (r.checkpoint, "--checkpoint")]
        where inputs.contains(url.standardizedFileURL.path) {
            throw TrainingError(url, "\(option) would overwrite an input file")
        }
        guard r.output.standardizedFileURL != r.checkpoint.standardizedFileURL else {
            throw TrainingError(r.output, "--out and --checkpoint must be different files")
        }
        if r.resume {
            guard fm.fileExists(atPath: r.checkpoint.path) else {
                throw TrainingError(r.checkpoint, "--resume: no checkpoint here (it is written after each epoch; "
                                    + "pass --checkpoint if it was saved elsewhere)")
            }
        } else if !r.overwrite {
            if fm.fileExists(atPath: r.checkpoint.path) {
                throw TrainingError(r.checkpoint, "a checkpoint exists: continue it with --resume, or start afresh "
                                    + "with --overwrite")
            }
            if fm.fileExists(atPath: r.output.path) {
                throw TrainingError.exists(r.output)
            }
        }
    }

    /// A model file with the description naming it by content.
    private struct SourceModel {
        let url: URL
        let model: LoadedModel
        let description: String
    }

    private func loadModel(_ url: URL, role: String) throws -> SourceModel {
        let model: LoadedModel
        do { model = try ModelFile.load(contentsOf: url) } catch {
            throw TrainingError("\(role): \(error)")
        }
        guard model.metadata.labels == EmotionLabel.names, model.network.architecture.classes == EmotionLabel.allCases.count
        else {
            throw TrainingError(url, "\(role): the model's classes (\(model.metadata.labels.joined(separator: ","))) "
                                + "differ from \(EmotionLabel.names.joined(separator: ","))")
        }
        return SourceModel(url: url, model: model, description: try FNV1a.describe(file: url))
    }

    /// Writes the trainer's final (best) weights to the output file with metadata.
    private func writeModel(_ trainer: Trainer, dataDescription: String) throws {
        let metadata = ModelMetadata(architecture: trainer.model.architecture, mean: trainer.preprocessing.mean,
                                     std: trainer.preprocessing.std,
                                     testTimeAugmentation: trainer.preprocessing.testTimeAugmentation,
                                     trainingSummary: trainer.trainingSummary(dataDescription: dataDescription))
        let data: Data
        do { data = try ModelFile.serialized(trainer.finalNetwork(), metadata: metadata, dtype: request.outputType) } catch {
            throw TrainingError(request.output, "cannot write the model (\(error))")
        }
        try OutputLocation.save(data, to: request.output, what: "the model")
    }
}
