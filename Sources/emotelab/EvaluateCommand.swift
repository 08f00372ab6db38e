import ArgumentParser
import EmotionModel
import Analysis
import FaceDetection
import Foundation
import NeuralNet
import Training

/// `emotelab evaluate`: accuracy, per-class precision/recall/F1, macro-F1 and confusion matrix of a model.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure a model on labelled faces: accuracy, per-class precision/recall/F1, macro-F1, confusion matrix.",
        discussion: """
            Works on any dataset `train` reads (a class-folder tree or a FER2013 CSV). Images are preprocessed \
            exactly as `analyze` does. Macro averages are over the classes present among the true or \
            predicted labels. JSON carries images, accuracy (a fraction), macro_f1, per_class and confusion \
            (rows: true class, columns: predicted class, in the order of `labels`).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

    @Option(help: ArgumentHelp("Model file or shipped model name (A, B, C, default).", valueName: "model"))
    var model: String = "default"

    @Option(help: ArgumentHelp("Labelled faces: a folder <data>/<split>/<class>/*.jpg|png, or a FER2013 CSV file.",
                               valueName: "dir-or-csv"))
    var data: String

    @Option(help: "Split to evaluate (a folder under --data; CSV: train, val = PublicTest, test = PrivateTest).")
    var split: String = "val"

    @Option(help: "Output format: table, json or csv (per-class rows with their confusion-matrix row).")
    var format: Format = .table

    @Option(help: ArgumentHelp("Write the report to this file instead of standard output (an existing file only "
                               + "with --overwrite; never the model or the data).", valueName: "file"))
    var output: String?

    @Flag(help: "Replace an existing --output file.")
    var overwrite = false

    @Option(help: ArgumentHelp("Test-time augmentation: none, mirror or mirror-shift-zoom (default: what the "
                               + "model file says, as analyze uses it).", valueName: "none|mirror|mirror-shift-zoom"))
    var tta: TestTimeAugmentation?

    @Option(help: ArgumentHelp("Score the faces as analyze would crop them: each image enlarged 4x onto a gray canvas, "
                               + "searched with this detector (blazeface, as analyze by default; haar, lbp or a cascade file) "
                               + "and cut around the largest face found, turned upright by the eyes when the detector "
                               + "finds them; images without a face found are left out and counted.",
                               valueName: "detector"))
    var throughDetector: String?

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        if let threads { Compute.threadCount = threads }
        try reportingFailures {
            let url = try ModelCatalog.resolve(model)
            let plan = try output.map { try checkOutput($0, model: url) }
            let loaded = try ModelFile.load(contentsOf: url)
            var pre = loaded.metadata.preprocessing
            if let tta { pre.testTimeAugmentation = tta }
            var warnings: [String] = []
            let sets = try DatasetSource(URL(fileURLWithPath: data)).load(
                required: [split], side: pre.inputSize, classNames: EmotionLabel.names,
                resize: { Preprocessing.resize($0, width: $1, height: $2, to: $3) },
                threads: Compute.threadCount, warnings: &warnings)
            for warning in warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
            var dataset = sets[split]!
            var crops: String?
            if let throughDetector {
                let choice = DetectorChoice(argument: throughDetector)
                let path = StillFaceCrop(detector: try choice.load())
                let cut = path.crops(of: dataset, threads: Compute.threadCount)
                var found = ImageDataset(side: dataset.side, classNames: dataset.classNames, source: dataset.source)
                for (i, crop) in cut.enumerated() { if let crop { found.append(crop, label: dataset.labels[i]) } }
                let missing = dataset.count - found.count
                // The same images as the dataset registers them: the paired comparison.
                let registered = Evaluator.evaluate(loaded.network, preprocessing: pre,
                                                    on: dataset.subset(cut.indices.filter { cut[$0] != nil }))
                guard found.count > 0 else {
                    throw TrainingError("--through-detector \(throughDetector): no face found in any of the "
                                        + "\(dataset.count) images")
                }
                crops = "as analyze cuts them: through \(choice.name), a face found in \(found.count) of \(dataset.count) "
                    + String(format: "images (%.2f %%)", Double(found.count) / Double(dataset.count) * 100)
                    + (missing > 0 ? "; the \(missing) others are left out" : "")
                    + String(format: "; the same images as registered in the dataset: accuracy %.2f %%, macro-F1 %.4f",
                             registered.accuracy * 100, registered.macroF1)
                dataset = found
            }
            let report = Evaluator.evaluate(loaded.network, preprocessing: pre, on: dataset)
            let context = EvaluationContext(model: url.path, data: data, split: split, crops: crops)
            let text: String
            switch format {
            case .table: text = report.table(context: context)
            case .json: text = report.json(context: context)
            case .csv: text = report.csv()
            }
            if let output, let plan {
                try OutputFile(path: output).write(text, plan: plan)
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }

    /// Checks `--output` before any work: never the model or the data file, an existing file only with
    /// `--overwrite`, and a folder that takes new files.
    private func checkOutput(_ path: String, model: URL) throws -> OutputFile.Plan {
        var isFolder: ObjCBool = false
        let dataIsFile = FileManager.default.fileExists(atPath: data, isDirectory: &isFolder) && !isFolder.boolValue
        let protected = [OutputFile.Protected(path: model.path, role: "the model being evaluated")]
            + (dataIsFile ? [OutputFile.Protected(path: data, role: "the --data file")] : [])
        let plan = try OutputFile(path: path).check(protected: protected)
        if !overwrite, case .replace(_, original: .some) = plan {
            throw TrainingError.exists(URL(fileURLWithPath: path))
        }
        return plan
    }
}
