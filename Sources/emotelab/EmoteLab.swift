import ArgumentParser

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
            DecodeBenchCommand.self,
            TrainCommand.self,
            DistillCommand.self,
            EvaluateCommand.self,
            ModelsCommand.self,
            Bench.self,
        ]
    )
}
