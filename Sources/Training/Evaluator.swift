import EmotionModel
import NeuralNet

/// Runs a model over a whole dataset (evaluation mode, BatchNorm folded: the analyzer's own path).
public enum Evaluator {
    /// Logits `[images, classes]` of every image of the assembler's dataset, each distorted by
    /// `augmentation` (identity: as is; a flip for mirrored teacher logits).
    public static func logits(_ network: InferenceNetwork, _ assembler: BatchAssembler,
                              augmentation: Augmentation = .identity, batchSize: Int = 128,
                              progress: ((Int) -> Void)? = nil) -> Tensor {
        let count = assembler.dataset.count, classes = network.architecture.classes
        var storage = [Float]()
        storage.reserveCapacity(count * classes)
        var start = 0
        while start < count {
            let end = min(count, start + batchSize)
            let plan = augmentation == .identity ? nil : Array(repeating: augmentation, count: end - start)[...]
            let logits = network.logits(assembler.batch(Array(start..<end)[...], augmentations: plan))
            storage.append(contentsOf: logits.storage)
            start = end
            progress?(start)
        }
        return Tensor(shape: [count, classes], storage: storage)
    }

    /// Per-image scores `[images, classes]` under a test-time augmentation: the logits for `.none`, else the
    /// mean of the softmax over the views it names (what `EmotionClassifier` returns).
    public static func scores(_ network: InferenceNetwork, _ assembler: BatchAssembler,
                              testTime: TestTimeAugmentation, batchSize: Int = 128) -> Tensor {
        var storage: [Float] = []
        var n = 0, c = 0
        for view in testTime.views {
            let augmentation = Augmentation(flip: view.flip, dx: view.dx, dy: view.dy, rotation: view.rotation,
                                            scale: view.scale)
            let part = logits(network, assembler, augmentation: augmentation, batchSize: batchSize)
            (n, c) = (part.shape[0], part.shape[1])
            storage += part.storage
        }
        return testTime.combine(Tensor(shape: [testTime.passes * n, c], storage: storage), faces: n)
    }

    /// The index of the largest value of each row of `[N, classes]` logits (the first one on ties).
    public static func predictions(_ logits: Tensor) -> [Int] {
        let n = logits.shape[0], c = logits.shape[1]
        return (0..<n).map { i in
            var best = 0
            for j in 1..<c where logits.storage[i * c + j] > logits.storage[i * c + best] { best = j }
            return best
        }
    }

    /// Accuracy, per-class metrics and confusion matrix of `network` on `dataset` (whose side must be the
    /// network's input size), with the model's `preprocessing` (its test-time augmentation included).
    public static func evaluate(_ network: ResEmoteNet, preprocessing: Preprocessing, on dataset: ImageDataset,
                                batchSize: Int = 128) -> EvaluationReport {
        let assembler = BatchAssembler(dataset: dataset, preprocessing: preprocessing)
        let predicted = predictions(scores(InferenceNetwork(network), assembler,
                                           testTime: preprocessing.testTimeAugmentation, batchSize: batchSize))
        return EvaluationReport(classNames: dataset.classNames, truth: dataset.labels, predicted: predicted)
    }
}
