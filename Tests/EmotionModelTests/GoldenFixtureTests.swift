import XCTest
import NeuralNet
@testable import EmotionModel
import TestSupport

/// Student C against PyTorch (Fixtures/nn/make_golden.py): eval logits, one training step, BN statistics.
final class GoldenFixtureTests: XCTestCase {
    private var io: SafetensorsFile!
    private var loaded: LoadedModel!

    override func setUpWithError() throws {
        Compute.threadCount = 2
        io = try SafetensorsFile(contentsOf: TestPaths.fixture("nn/golden_c_io.safetensors"))
        loaded = try ModelFile.load(contentsOf: TestPaths.fixture("nn/golden_c_weights.safetensors"))
    }

    override func tearDown() { Compute.threadCount = Compute.defaultThreadCount }

    private func tensor(_ name: String) -> Tensor { io.tensors[name]! }

    /// The fixture batch through the shared preprocessing contract.
    private func input() throws -> Tensor {
        let pixels = tensor("pixels")
        let faces = (0..<pixels.shape[0]).map { i in pixels.storage[i * 2304..<(i + 1) * 2304].map { UInt8($0) } }
        return try loaded.metadata.preprocessing.batch(faces)
    }

    func testMetadataAndF16WeightsLoad() {
        XCTAssertEqual(loaded.metadata.architecture, ResEmoteNetArchitecture(width: .C, inputChannels: 1, inputSize: 48))
        XCTAssertEqual(loaded.metadata.preprocessing.mean, [0.5])
        XCTAssertEqual(loaded.network.parameterCount, 1_259_767)
    }

    func testEvalLogitsMatchPyTorch() throws {
        let expected = tensor("eval_logits")
        let x = try input()
        XCTAssertLessThan(loaded.network.forward(x, training: false).maxAbsDifference(expected), 1e-4)
        XCTAssertLessThan(InferenceNetwork(loaded.network).logits(x).maxAbsDifference(expected), 1e-4)
    }

    /// A batch large enough to be split over lanes (one replica per thread, uneven slices) gives the same
    /// logits as PyTorch, image by image.
    func testEvalLogitsMatchPyTorchWhenTheBatchIsSplitOverThreads() throws {
        let expected = tensor("eval_logits"), x = try input()
        let images = x.shape[0], imageSize = x.count / images, classes = expected.shape[1]
        let total = 2 * InferenceNetwork.imagesPerLane + 3
        let order = (0..<total).map { ($0 * 5) % images }
        let batch = Tensor(shape: [total] + Array(x.shape.dropFirst()),
                           storage: order.flatMap { x.storage[($0 * imageSize)..<(($0 + 1) * imageSize)] })
        let want = Tensor(shape: [total, classes],
                          storage: order.flatMap { expected.storage[($0 * classes)..<(($0 + 1) * classes)] })
        let network = InferenceNetwork(loaded.network)
        for threads in [2, 3, 1, 2] {
            Compute.threadCount = threads
            XCTAssertLessThan(network.logits(batch).maxAbsDifference(want), 1e-4, "threads \(threads)")
        }
    }

    func testTrainingStepMatchesPyTorch() throws {
        let net = ResEmoteNet(architecture: loaded.metadata.architecture, dropoutRates: (0, 0))
        try net.load(stateDict: loaded.network.stateDict())
        let targets = tensor("targets").storage.map { Int($0) }
        let logits = net.forward(try input(), training: true)
        XCTAssertLessThan(logits.maxAbsDifference(tensor("train_logits")), 1e-4)

        let ce = Loss.crossEntropy(logits: logits, targets: targets, classWeights: tensor("class_weights").storage)
        let kd = Loss.distillation(studentLogits: logits, teacherLogits: tensor("teacher_logits"), temperature: 3)
        let loss = ce.combined(with: kd, factor: 0.2)
        let reference = tensor("loss").storage
        XCTAssertEqual(loss.value, reference[0], accuracy: 1e-4 * abs(reference[0]))
        XCTAssertEqual(ce.value, reference[1], accuracy: 1e-4 * abs(reference[1]))
        XCTAssertEqual(kd.value, reference[2], accuracy: 1e-4 * abs(reference[2]))

        let sgd = SGD(parameters: net.namedParameters, learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4)
        sgd.zeroGrad()
        net.backward(loss.gradient)
        var compared = 0
        let parameters = Dictionary(uniqueKeysWithValues: net.namedParameters.map { ($0.name, $0.parameter) })
        func largest(_ t: Tensor) -> Float { t.storage.reduce(0) { max($0, abs($1)) } }
        for (name, p) in net.namedParameters {
            let ref = tensor("grad." + name)
            // Relative to the tensor's largest gradient. Every convolution bias feeds a BatchNorm, which cancels
            // it: the true gradient is 0 and both sides are rounding noise, bounded against the conv weight's scale.
            let weightName = name.replacingOccurrences(of: ".bias", with: ".weight")
            let isConvBias = name.hasSuffix(".bias") && parameters[weightName]?.value.shape.count == 4
            let bound = isConvBias ? 1e-4 * largest(tensor("grad." + weightName)) : 1e-3 * largest(ref) + 1e-7
            XCTAssertLessThanOrEqual(p.grad.maxAbsDifference(ref), bound, "gradient of \(name)")
            compared += 1
        }
        XCTAssertEqual(compared, 58)
        for (name, b) in net.namedBuffers where b.storageType == .float32 {
            XCTAssertLessThan(b.value.maxAbsDifference(tensor("after." + name)), 1e-5, "BatchNorm buffer \(name)")
        }
        XCTAssertEqual(net.bn1.batchesTracked.value.storage, [4])
        sgd.step()
        for (name, p) in net.namedParameters where io.tensors["updated." + name] != nil {
            XCTAssertLessThan(p.value.maxAbsDifference(tensor("updated." + name)), 1e-5, "weights of \(name) after one SGD step")
        }
    }

    func testWeightedLabelSmoothingCrossEntropyMatchesPyTorch() {
        let r = Loss.crossEntropy(logits: tensor("ls_logits"), targets: tensor("ls_targets").storage.map { Int($0) },
                                  classWeights: tensor("class_weights").storage, labelSmoothing: 0.1)
        XCTAssertEqual(r.value, tensor("ls_loss").storage[0], accuracy: 1e-5)
        XCTAssertLessThan(r.gradient.maxAbsDifference(tensor("ls_grad")), 1e-6)
    }
}
