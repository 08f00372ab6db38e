import ArgumentParser
import EmotionModel
import Foundation
import Training

/// `emotelab average`: the uniform average of several models' weights (a model soup).
struct AverageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "average",
        abstract: "Average the weights of models fine-tuned from the same starting model (a model soup).",
        discussion: """
            Writes the mean of every tensor of the given models (batch-norm statistics included). The models \
            must share architecture, input and normalisation; they should be fine-tunes of one starting model \
            (other seeds, rates or epochs): models trained apart average into a poor one. Measure the result \
            with `emotelab evaluate` before using it.

            Example:
              emotelab average A.safetensors A-seed1.safetensors A-seed2.safetensors --dtype f16 --out A-soup.safetensors
            """)

    @Argument(help: ArgumentHelp("Model files or shipped names (A, B, C, default) to average; at least two.",
                                 valueName: "model"))
    var models: [String] = []

    @Option(help: ArgumentHelp("Test-time augmentation of the result: none, mirror or mirror-shift-zoom (default: "
                               + "the one the models share).", valueName: "none|mirror|mirror-shift-zoom"))
    var tta: TestTimeAugmentation?

    @Option(help: "Element type of the written model: f32, or f16 (half the size).")
    var dtype: TrainingOptions.DType = .f32

    @Option(help: "Model file to write.")
    var out: String

    @Flag(help: "Replace an existing --out file.")
    var overwrite = false

    func validate() throws {
        if models.count < 2 { throw ValidationError("give at least two models to average (\(models.count) given)") }
    }

    func run() throws {
        try reportingFailures {
            let urls = try models.map(ModelCatalog.resolve)
            let output = URL(fileURLWithPath: out)
            if let input = urls.first(where: { sameFile($0.path, out) }) {
                throw TrainingError(output, "is one of the models being averaged (\(input.lastPathComponent)); "
                                    + "write the average to another file")
            }
            if let problem = OutputLocation.problem(creating: out) { throw TrainingError(output, "cannot write here: \(problem)") }
            if !overwrite, FileManager.default.fileExists(atPath: out) { throw TrainingError.exists(output) }
            let ingredients = try urls.map(ModelAverage.ingredient(contentsOf:))
            let average = try ModelAverage.average(ingredients, testTimeAugmentation: tta)
            let data = try ModelFile.serialized(average.network, metadata: average.metadata,
                                                dtype: dtype == .f16 ? .f16 : .f32)
            try OutputLocation.save(data, to: output, what: "the model")
            print("wrote \(out): the average of \(ingredients.count) models (\(urls.map(\.lastPathComponent).joined(separator: ", "))), "
                  + "test-time augmentation \(average.metadata.preprocessing.testTimeAugmentation.rawValue)")
        }
    }
}
