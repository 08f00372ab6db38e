import ArgumentParser
import EmotionModel
import Foundation
import Training

/// `emotelab distill`: trains a student from a teacher's softened predictions plus the true labels.
struct DistillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distill",
        abstract: "Distil a Mini-ResEmoteNet student from a teacher model.",
        discussion: """
            loss = CE(y, s) + β·T²·KL(softmax(t/T) ‖ softmax(s/T)). By default (--teacher-views clean) the \
            teacher runs once per training image and its mirror before training; its logits are cached (and \
            kept in the checkpoint), so each epoch costs only the student's compute, but a shifted, rotated, \
            zoomed or erased image is paired with its clean image's target. With --teacher-views augmented the \
            teacher sees every batch exactly as the student does (consistent targets), at the cost of its \
            forward pass on every batch; its input size must then be the student's. Any model file EmoteLab loads can be the teacher, including a \
            PyTorch-trained ResEmoteNet saved as safetensors; its labels must be the seven EmoteLab classes \
            (another order is remapped).

            Examples:
              emotelab distill --teacher teacher.safetensors --student B --data ../shared/data/fer2013 --epochs 40 --out B.safetensors
              emotelab distill --student C --data faces/ --init C --epochs 5 --lr 0.001 --out C-local.safetensors
              emotelab distill --teacher B.safetensors --teacher B64.safetensors --student C --data ../shared/data/fer2013 --out C.safetensors
              emotelab distill --teacher B --student C --init C --teacher-views augmented --data ../shared/data/fer2013 --epochs 30 --lr 0.01 --out C2.safetensors
            """)

    @Option(help: ArgumentHelp("Teacher model: a file or a shipped name (A, B, C, default); repeat it to distil from "
                               + "an ensemble (the mean of the teachers' logits). Default: A, the strongest shipped "
                               + "model (else the first of B, C that is shipped).", valueName: "model"))
    var teacher: [String] = []

    @Option(help: ArgumentHelp("Student architecture: A, B or C (default: that of --init, else B).", valueName: "arch"))
    var student: String?

    @Option(help: "Softmax temperature T of the distillation term.")
    var temperature: Float = 3

    @Option(help: "Weight β of the distillation term.")
    var beta: Float = 0.2

    @Option(help: ArgumentHelp("What the teacher's targets are made from: clean (each image and its mirror, "
                               + "cached before training) or augmented (every batch as the student sees it).",
                               valueName: "views"))
    var teacherViews: TrainingConfiguration.TeacherViews = .clean

    @Option(help: "Student input channels: 1 or 3 (default: that of --init, else 1).")
    var inputChannels: Int?

    @Option(help: "Student input size: 48 or 64 (default: that of --init, else 48).")
    var inputSize: Int?

    @Option(help: "Model file to write.")
    var out: String = "distilled.safetensors"

    @OptionGroup var options: TrainingOptions

    func validate() throws {
        if let student, !["a", "b", "c"].contains(student.lowercased()) {
            throw ValidationError("--student must be A, B or C (train the teacher with `emotelab train --arch teacher`)")
        }
    }

    func run() throws {
        try options.run {
            var teacherURLs = try teacher.map { try ModelCatalog.resolve($0) }
            if teacherURLs.isEmpty {
                guard let strongest = ModelCatalog.shippedModels().first else {
                    throw TrainingError("no --teacher given and no shipped model in \(ModelCatalog.modelsDirectory.path) "
                                        + "to default to; pass --teacher FILE")
                }
                teacherURLs = [strongest.url]
            }
            let described = teacherURLs.map(\.path).joined(separator: " + ")
            return try options.request(output: out, architecture: student, inputChannels: inputChannels,
                                       inputSize: inputSize,
                                       distillation: .init(temperature: temperature, beta: beta, teacher: described,
                                                           teacherViews: teacherViews),
                                       teachers: teacherURLs)
        }
    }
}

