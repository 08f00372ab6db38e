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
            Validation accuracy and epochs come from the training summary EmoteLab stores in the files it \
            writes; files made elsewhere show '-'. Shipped models are read from $EMOTELAB_MODELS when set.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Argument(help: ArgumentHelp("Model files to describe besides the shipped ones.", valueName: "file"))
    var files: [String] = []

    @Option(help: "Output format: table or json.")
    var format: Format = .table

    func run() throws {
        try reportingFailures {
            var entries = ModelCatalog.shippedModels().map { (name: $0.name, url: $0.url) }
            for file in files { entries.append((name: "-", url: try ModelCatalog.resolve(file))) }
            let rows = try entries.map { try ModelSummary(name: $0.name, url: $0.url) }
            switch format {
            case .table:
                var text = ModelSummary.table(rows)
                if rows.isEmpty { text = "no shipped models in \(ModelCatalog.modelsDirectory.path)\n" }
                FileHandle.standardOutput.write(Data(text.utf8))
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                FileHandle.standardOutput.write(try encoder.encode(rows) + Data("\n".utf8))
            }
        }
    }
}
