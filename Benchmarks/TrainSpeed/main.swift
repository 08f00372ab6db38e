// train-speed: seconds per training epoch of EmoteLab's own trainer on FER2013 train, per architecture.
//
// Runs the real `Trainer` (cached bytes → flip augmentation → normalisation → forward → class-weighted
// cross-entropy → backward → SGD with momentum and weight decay, dropout on) for a number of batches of 64
// and extrapolates to a whole epoch. The first batch (allocations) is a warm-up and not timed; neither are
// validation and checkpoint writing. Besides wall time it reports the process CPU time per image, which does
// not depend on how other jobs on the machine share the cores.
//
// usage: train-speed [--data DIR] [--threads N] [--models C,B,A,teacher] [--batches MODEL=N,...]
//                    [--json FILE]   (default batches: C=440,B=200,A=80,teacher=40)
import EmotionModel
import Foundation
import NeuralNet
import Training

struct Options {
    var data = "../shared/data/fer2013"
    var threads = 2
    var models = ["C", "B", "A", "teacher"]
    var batches = ["C": 440, "B": 200, "A": 80, "teacher": 40]
    var json: String?

    init(_ arguments: [String]) {
        var i = 0
        func value() -> String {
            i += 1
            guard i < arguments.count else { fail("missing value after \(arguments[i - 1])") }
            return arguments[i]
        }
        while i < arguments.count {
            switch arguments[i] {
            case "--data": data = value()
            case "--threads": threads = Int(value()) ?? 2
            case "--models": models = value().split(separator: ",").map(String.init)
            case "--batches":
                for pair in value().split(separator: ",") {
                    let parts = pair.split(separator: "=")
                    guard parts.count == 2, let n = Int(parts[1]), n > 0 else { fail("bad --batches entry \(pair)") }
                    batches[String(parts[0])] = n
                }
            case "--json": json = value()
            default: fail("unknown argument \(arguments[i])")
            }
            i += 1
        }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("train-speed: \(message)\n".utf8))
    exit(1)
}

struct Row: Codable {
    var model: String
    var parameters: Int
    var batchesMeasured: Int
    var batchesPerEpoch: Int
    var imagesPerSecond: Double
    var secondsPerEpoch: Double
    var cpuMillisecondsPerImage: Double
}

/// User + system CPU time of this process, in seconds.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
Compute.threadCount = options.threads
let loadStart = Date()
var warnings: [String] = []
let train: ImageDataset
do {
    train = try DatasetSource(URL(fileURLWithPath: options.data)).load(
        required: ["train"], side: 48, classNames: EmotionLabel.names,
        resize: { Preprocessing.resize($0, width: $1, height: $2, to: $3) }, threads: options.threads,
        warnings: &warnings)["train"]!
} catch {
    fail("\(error)")
}
let loadSeconds = Date().timeIntervalSince(loadStart)
print(String(format: "data: %d train images loaded and cached in %.1f s (%d threads)", train.count, loadSeconds,
             options.threads))
let normalization = Trainer.normalization(of: train)
let preprocessing = Preprocessing(inputSize: 48, inputChannels: 1, mean: [normalization.mean], std: [normalization.std])
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("train-speed-\(getpid())")
try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: scratch) }

var rows: [Row] = []
print("model    params   batches  img/s    s/epoch  CPU ms/img")
for model in options.models {
    let config = TrainingConfiguration(architecture: model, epochs: 1, batchSize: 64, learningRate: 0.01, seed: 1)
    let checkpoint = scratch.appendingPathComponent("\(model).ckpt")
    do {
        let trainer = try Trainer(configuration: config, train: train, val: nil, preprocessing: preprocessing,
                                  checkpointURL: checkpoint)
        let perEpoch = trainer.batchesPerEpoch
        let wanted = min(options.batches[model] ?? 50, perEpoch - 2)
        var start = (wall: Date(), cpu: 0.0), end = (wall: Date(), cpu: 0.0)
        trainer.shouldStop = { [unowned trainer] in
            let done = trainer.progress.batchesDone
            if done == 1 { start = (Date(), cpuSeconds()) }          // after the warm-up batch
            if done == wanted + 1 { end = (Date(), cpuSeconds()); return true }
            return false
        }
        _ = try trainer.run()
        let images = Double(wanted * 64)
        let rate = images / end.wall.timeIntervalSince(start.wall)
        let row = Row(model: model, parameters: trainer.model.parameterCount, batchesMeasured: wanted,
                      batchesPerEpoch: perEpoch, imagesPerSecond: rate,
                      secondsPerEpoch: Double(min(train.count, perEpoch * 64)) / rate,
                      cpuMillisecondsPerImage: (end.cpu - start.cpu) / images * 1000)
        rows.append(row)
        try? FileManager.default.removeItem(at: checkpoint)
        print(model.padding(toLength: 8, withPad: " ", startingAt: 0)
              + String(format: " %6.2f M  %3d/%3d  %7.1f  %8.1f  %8.3f", Double(row.parameters) / 1e6,
                       row.batchesMeasured, perEpoch, row.imagesPerSecond, row.secondsPerEpoch,
                       row.cpuMillisecondsPerImage))
    } catch {
        fail("\(model): \(error)")
    }
}
if let json = options.json {
    struct Document: Codable {
        var threads: Int
        var trainImages: Int
        var loadSeconds: Double
        var rows: [Row]
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let data = try encoder.encode(Document(threads: options.threads, trainImages: train.count, loadSeconds: loadSeconds,
                                           rows: rows))
    try data.write(to: URL(fileURLWithPath: json))
}
