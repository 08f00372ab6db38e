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
}
