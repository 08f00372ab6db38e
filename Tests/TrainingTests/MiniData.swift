import EmotionModel
import NeuralNet
import Foundation
import Training
import TestSupport

/// FER2013-mini (140 train + 70 val images, 48×48), loaded once for all tests.
enum MiniData {
    static let resize: ImageResizer = { Preprocessing.resize($0, width: $1, height: $2, to: $3) }

    static let sets: [String: ImageDataset] = {
        var warnings: [String] = []
        // The shared data is part of the test environment; failing to read it is a broken setup.
        return try! DatasetSource(TestPaths.ferMini).load(required: ["train", "val"], side: 48,
                                                          classNames: EmotionLabel.names, resize: resize,
                                                          warnings: &warnings)
    }()

    static var train: ImageDataset { sets["train"]! }
    static var val: ImageDataset { sets["val"]! }

    static func preprocessing(channels: Int = 1, size: Int = 48) -> Preprocessing {
        let n = Trainer.normalization(of: train)
        return Preprocessing(inputSize: size, inputChannels: channels, mean: [Float](repeating: n.mean, count: channels),
                             std: [Float](repeating: n.std, count: channels))
    }
}

/// Model files with known behaviour.
enum TestModels {
    /// A C model that ignores its input and always answers `label`: every weight zero, fc4's bias one-hot.
    static func constant(_ label: EmotionLabel, at url: URL) throws {
        let network = ResEmoteNet(width: .C)
        for (name, p) in network.namedParameters {
            p.value = Tensor(shape: p.value.shape)
            if name == "fc4.bias" { p.value.storage[label.rawValue] = 1 }
        }
        try ModelFile.save(network, metadata: ModelMetadata(architecture: network.architecture, mean: [0], std: [1]),
                           to: url)
    }

    /// A tiny teacher: student C trained briefly on FER2013-mini, saved in `dir` and read back as a model file.
    static func tinyTeacher(in dir: URL) throws -> LoadedModel {
        let config = TrainingConfiguration(architecture: "C", epochs: 8, batchSize: 20, learningRate: 0.05,
                                           augmentation: .none, dropoutStem: 0, dropoutHead: 0, seed: 11)
        let trainer = try Trainer(configuration: config, train: MiniData.train, val: nil,
                                  preprocessing: MiniData.preprocessing(), checkpointURL: dir.appendingPathComponent("t.ckpt"))
        _ = try trainer.run()
        let url = dir.appendingPathComponent("teacher.safetensors")
        try ModelFile.save(trainer.finalNetwork(), metadata: ModelMetadata(architecture: trainer.model.architecture,
                                                                           mean: trainer.preprocessing.mean,
                                                                           std: trainer.preprocessing.std), to: url)
        return try ModelFile.load(contentsOf: url)
    }
}
