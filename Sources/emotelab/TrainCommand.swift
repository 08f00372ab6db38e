import ArgumentParser
import Foundation

/// `emotelab train`: trains the teacher or a student on labelled faces (cross-entropy only).
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the ResEmoteNet teacher or a Mini-ResEmoteNet student on labelled faces.",
        discussion: """
            Trains with SGD on the --train-split images, keeps the model that scores best on the --val-split \
            and writes it to --out. A checkpoint is saved after every epoch and on Ctrl-C; rerun the same \
            command with --resume to continue exactly where it stopped.

            Examples:
              emotelab train --data ../shared/data/fer2013 --arch teacher --epochs 40 --out teacher.safetensors
              emotelab train --data faces/ --init B --epochs 5 --lr 0.001 --out B-local.safetensors
            """)

    @Option(help: ArgumentHelp("Architecture: teacher, A, B or C (default: that of --init, else B).",
                               valueName: "arch"))
    var arch: String?

    @Option(help: "Input channels: 1 (gray) or 3 (gray replicated; default: that of --init, else 1).")
    var inputChannels: Int?

    @Option(help: ArgumentHelp("Input size in pixels: 48 or 64 (default: that of --init, else 48). With --init, the "
                               + "other size fine-tunes its weights at that size."))
    var inputSize: Int?

    @Option(help: "Model file to write.")
    var out: String = "trained.safetensors"

    @OptionGroup var options: TrainingOptions

    func run() throws {
        try options.run {
            try options.request(output: out, architecture: arch, inputChannels: inputChannels, inputSize: inputSize,
                                distillation: nil, teachers: [])
        }
    }
}
