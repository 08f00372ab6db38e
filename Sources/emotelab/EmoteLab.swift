import ArgumentParser
import EmotionModel
import FileNames
import Foundation
import NeuralNet
import Training
import VideoIO

/// The `emotelab` command: facial-emotion timelines for recorded usability-test sessions.
@main
struct EmoteLab: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emotelab",
        abstract: "Facial-emotion timelines and per-task reports for recorded usability-test sessions.",
        version: EmoteLab.version,
        subcommands: [
            AnalyzeCommand.self,
            ProbeCommand.self,
            SessionsCommand.self,
            TasksCommand.self,
            TimelineCommand.self,
            ReportCommand.self,
            ClipsCommand.self,
            AnnotateCommand.self,
            DecodeBenchCommand.self,
            TrainCommand.self,
            DistillCommand.self,
            AverageCommand.self,
            EvaluateCommand.self,
            ModelsCommand.self,
            Bench.self,
        ]
    )

    /// The release number (`emotelab --version` prints it first, the HTML report names it).
    static let version = "0.1.0"

    /// What `emotelab --version` prints: the release, the shipped models (name, architecture, validation
    /// accuracy from each file's training summary, as `emotelab models` shows) and the FFmpeg and OpenBLAS
    /// libraries this process runs with.
    static func versionReport() -> String {
        var lines = ["emotelab \(version)"]
        let folder = ModelCatalog.modelsDirectory.path
        let shipped = ModelCatalog.shippedModels()
        if shipped.isEmpty {
            lines.append("models: none found in \(folder) (set EMOTELAB_MODELS)")
        } else {
            lines.append("models (\(folder)):")
            for entry in shipped {
                let label = entry.name + (entry.name == ModelCatalog.defaultName ? " (default)" : "")
                do {
                    let s = try ModelSummary(name: entry.name, url: entry.url)
                    let accuracy = s.valAccuracy.map { String(format: "%.2f %%", $0 * 100) } ?? "-"
                    lines.append("  \(label): architecture \(s.architecture), input \(s.inputChannels)×\(s.inputSize)×\(s.inputSize), "
                                 + "test-time augmentation \(s.testTimeAugmentation), validation accuracy \(accuracy) (training)")
                } catch {
                    lines.append("  \(label): unreadable: \(error)")
                }
            }
        }
        lines.append("FFmpeg \(FFmpegVersions.release) (\(FFmpegVersions.summary))")
        lines.append(BLASInfo.openBLASConfig)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Runs the command line. The arguments are read as bytes: a file name that is not UTF-8 (Linux
    /// allows any byte) keeps its bytes (`RawFileName`) instead of becoming U+FFFD, so the file opens.
    static func main() async {
        let arguments = (1..<Int(CommandLine.argc)).compactMap { index in
            CommandLine.unsafeArgv[index].map { RawFileName.decode(UnsafeBufferPointer(start: $0, count: strlen($0)).map { UInt8(bitPattern: $0) }) }
        }
        // `--version` alone: the full report (ArgumentParser's own flag prints only `version`).
        if arguments == ["--version"] {
            FileHandle.standardOutput.write(Data(versionReport().utf8))
            return
        }
        await main(arguments)
    }
}
