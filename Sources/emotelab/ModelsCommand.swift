import ArgumentParser
import EmotionModel
import Foundation
import NeuralNet
import Training

/// `emotelab models`: the shipped models and any given model files, with what they are and how they score.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the shipped models and given model files: architecture, parameters, size, validation accuracy.",
        discussion: """
            Validation accuracy, macro-F1 and epochs come from the training summary EmoteLab stores in the \
            files it writes ('val acc (training)'): measured during training on the f32 weights of the best \
            epoch, so `evaluate` on an f16 file can differ by a few images. Files made elsewhere show '-'. \
            Shipped models are read from $EMOTELAB_MODELS when set. A file that cannot be read gets an \
            error line after the table and the exit status is 1.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Argument(help: ArgumentHelp("Model files to describe besides the shipped ones.", valueName: "file"))
    var files: [String] = []

    @Option(help: "Output format: table or json.")
    var format: Format = .table

    func run() throws {
        var failures: [String] = []
        try reportingFailures {
            var rows: [ModelSummary] = []
            for entry in ModelCatalog.shippedModels() {
                do { rows.append(try ModelSummary(name: entry.name, url: entry.url)) } catch { failures.append("\(error)") }
            }
            for file in files {
                do { rows.append(try ModelSummary(name: "-", url: try ModelCatalog.resolve(file))) } catch {
                    failures.append("\(error)")
                }
            }
            switch format {
            case .table:
                var text = ModelSummary.table(rows)
                if rows.isEmpty {
                    text = failures.isEmpty ? "no shipped models in \(ModelCatalog.modelsDirectory.path)\n" : ""
                }
                FileHandle.standardOutput.write(Data(text.utf8))
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                FileHandle.standardOutput.write(try encoder.encode(rows) + Data("\n".utf8))
            }
        }
        // After the table: one line per file that could not be described.
        for failure in failures { FileHandle.standardError.write(Data("error: \(failure)\n".utf8)) }
        if !failures.isEmpty { throw ExitCode.failure }
    }
}
