import ArgumentParser
import EmotionModel
import Foundation
import NeuralNet

/// `emotelab bench`: images per second of a model on this machine (inference, or training steps).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure emotion-model speed on this machine (images/s), like `openssl speed`.",
        discussion: """
            Runs the model on synthetic input for about --seconds and reports the median throughput. \
            A shipped model name (A, B, C, default) or a file path loads trained weights; an architecture \
            name (A, B, C, teacher) without a shipped file uses freshly initialised weights of that \
            architecture (speed does not depend on the weights), and the output says so.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Option(help: "Model file, shipped model name (A, B, C, default) or architecture (A, B, C, teacher).")
    var model: String = "default"

    @Option(help: "Images per batch.")
    var batch: Int = 64

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Flag(help: "Time one SGD training step (forward, cross-entropy, backward, update) instead of inference.")
    var train = false

    @Option(help: ArgumentHelp("Inference: test-time augmentation, none, mirror (two network passes per face) or "
                               + "mirror-shift-zoom (14; default: what the model file says, as analyze uses it).",
                               valueName: "none|mirror|mirror-shift-zoom"))
    var tta: TestTimeAugmentation?

    @Option(help: "Approximate measuring time in seconds (after one warm-up batch).")
    var seconds: Double = 3

    @Option(help: "Output format: table or json.")
    var format: Format = .table

    func validate() throws {
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        guard seconds > 0, seconds <= 600 else { throw ValidationError("--seconds must be in (0, 600]") }
        if train && batch < 2 { throw ValidationError("--train needs --batch of at least 2 (BatchNorm batch statistics)") }
    }

    /// The network to time, a description of where its weights came from, and its file's test-time
    /// augmentation (none for fresh weights).
    private func loadNetwork() throws -> (ResEmoteNet, String, TestTimeAugmentation) {
        let isShippedName = ModelCatalog.shippedName(for: model) != nil
        if isShippedName, let url = try? ModelCatalog.resolve(model) {
            let loaded = try ModelFile.load(contentsOf: url)
            return (loaded.network, url.path, loaded.metadata.preprocessing.testTimeAugmentation)
        }
        if let width = ResEmoteNetArchitecture.Width(name: model) {
            return (ResEmoteNet(width: width, seed: 1), "freshly initialised (no trained \(width.rawValue) model file)", .none)
        }
        if model.lowercased() == "default" {
            let width = ResEmoteNetArchitecture.Width(name: ModelCatalog.defaultName) ?? .B
            return (ResEmoteNet(width: width, seed: 1), "freshly initialised \(width.rawValue) (no shipped default model)", .none)
        }
        let url = try ModelCatalog.resolve(model)
        let loaded = try ModelFile.load(contentsOf: url)
        return (loaded.network, url.path, loaded.metadata.preprocessing.testTimeAugmentation)
    }

    func run() throws {
        try reportingFailures(measure)
    }

    private func measure() throws {
        if let threads { Compute.threadCount = threads }
        let (network, source, fileTestTime) = try loadNetwork()
        let testTime = train ? .none : tta ?? fileTestTime
        let a = network.architecture
        var rng = RandomGenerator(seed: 7)
        // With test-time averaging every face is several images: the batch's faces in each view in turn.
        let images = batch * testTime.passes
        let input = Tensor(shape: [images, a.inputChannels, a.inputSize, a.inputSize],
                           storage: (0..<(images * a.inputChannels * a.inputSize * a.inputSize)).map { _ in rng.nextUnitFloat() * 2 - 1 })
        let targets = (0..<batch).map { $0 % a.classes }

        let step: () -> Void
        if train {
            let sgd = SGD(parameters: network.namedParameters, learningRate: 1e-3, momentum: 0.9, weightDecay: 1e-4)
            step = {
                let logits = network.forward(input, training: true)
                let loss = Loss.crossEntropy(logits: logits, targets: targets)
                sgd.zeroGrad()
                network.backward(loss.gradient)
                sgd.step()
            }
        } else {
            let inference = InferenceNetwork(network)
            step = { _ = testTime.combine(inference.logits(input), faces: batch) }
        }
        step()   // warm-up: allocations, page faults
        var times: [Double] = []
        let cpuStart = processCPUSeconds()
        let start = DispatchTime.now().uptimeNanoseconds
        repeat {
            let t0 = DispatchTime.now().uptimeNanoseconds
            step()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        } while (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < seconds || times.count < 3) && times.count < 100_000
        let cpuPerBatch = (processCPUSeconds() - cpuStart) / Double(times.count)
        times.sort()
        let median = times[times.count / 2]
        let result = BenchResult(model: a.width.rawValue, weights: source, mode: train ? "train" : "inference",
                                 batch: batch, testTimeAugmentation: testTime.rawValue, threads: Compute.threadCount,
                                 input: "\(a.inputChannels)x\(a.inputSize)x\(a.inputSize)",
                                 parameters: network.parameterCount, iterations: times.count,
                                 secondsPerBatch: median, imagesPerSecond: Double(batch) / median,
                                 cpuSecondsPerBatch: cpuPerBatch)
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        case .table:
            print(result.table)
        }
    }
}

/// One `bench` measurement (the JSON output).
struct BenchResult: Codable {
    let model: String
    let weights: String
    let mode: String
    let batch: Int
    /// `none` or `mirror` (inference: two network passes per face); images/s counts faces.
    let testTimeAugmentation: String
    let threads: Int
    let input: String
    let parameters: Int
    let iterations: Int
    let secondsPerBatch: Double
    let imagesPerSecond: Double
    /// Process CPU time per batch (all threads): a steadier figure than wall time on a busy machine.
    let cpuSecondsPerBatch: Double

    enum CodingKeys: String, CodingKey {
        case model, weights, mode, batch, threads, input, parameters, iterations
        case testTimeAugmentation = "test_time_augmentation"
        case secondsPerBatch = "seconds_per_batch", imagesPerSecond = "images_per_second"
        case cpuSecondsPerBatch = "cpu_seconds_per_batch"
    }

    /// ", mirror-averaged: 2 passes per face" and the like; empty without test-time augmentation.
    private var averagingNote: String {
        guard let tta = TestTimeAugmentation(rawValue: testTimeAugmentation), tta != .none else { return "" }
        return ", \(tta.rawValue)-averaged: \(tta.passes) passes per face"
    }

    var table: String {
        let rows: [(String, String)] = [
            ("model", "\(model) (\(parameters.formatted()) parameters, input \(input))"),
            ("weights", weights),
            ("mode", mode == "train" ? "training step (SGD, cross-entropy)"
                : "inference (BatchNorm folded" + averagingNote + ")"),
            ("batch", String(batch)), ("threads", String(threads)), ("iterations", String(iterations)),
            ("ms/batch", String(format: "%.3f (median)", secondsPerBatch * 1000)),
            ("ms/image", String(format: "%.4f", secondsPerBatch * 1000 / Double(batch))),
            ("images/s", String(format: "%.1f", imagesPerSecond)),
            ("cpu ms", String(format: "%.3f per batch (all threads)", cpuSecondsPerBatch * 1000)),
        ]
        return rows.map { $0.0.padding(toLength: 11, withPad: " ", startingAt: 0) + $0.1 }.joined(separator: "\n")
    }
}

/// CPU time used by this process so far (all threads), in seconds.
func processCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
