import ArgumentParser
import FileNames
import Foundation

/// The `emotelab` command: facial-emotion timelines for recorded usability-test sessions.
@main
struct EmoteLab: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emotelab",
        abstract: "Facial-emotion timelines and per-task reports for recorded usability-test sessions.",
        version: "0.1.0",
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
            EvaluateCommand.self,
            ModelsCommand.self,
            Bench.self,
        ]
    )

    /// Runs the command line. The arguments are read as bytes: a file name that is not UTF-8 (Linux
    /// allows any byte) keeps its bytes (`RawFileName`) instead of becoming U+FFFD, so the file opens.
    static func main() async {
        let arguments = (1..<Int(CommandLine.argc)).compactMap { index in
            CommandLine.unsafeArgv[index].map { RawFileName.decode(UnsafeBufferPointer(start: $0, count: strlen($0)).map { UInt8(bitPattern: $0) }) }
        }
        await main(arguments)
    }
}
