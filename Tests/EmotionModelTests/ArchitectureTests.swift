import XCTest
import NeuralNet
@testable import EmotionModel
import TestSupport

final class ArchitectureTests: XCTestCase {
    /// The published counts for 3-channel input (and the 1-channel ones PyTorch computes: Fixtures/nn/param_counts.json).
    func testParameterCountsMatchThePaperAndPyTorch() throws {
        let published: [ResEmoteNetArchitecture.Width: Int] = [.teacher: 80_238_599, .A: 20_069_383, .B: 5_022_215, .C: 1_259_911]
        let data = try Data(contentsOf: TestPaths.fixture("nn/param_counts.json"))
        let torch = try JSONDecoder().decode([String: [String: Int]].self, from: data)
        for width in ResEmoteNetArchitecture.Width.allCases {
            for channels in [1, 3] {
                let net = ResEmoteNet(width: width, inputChannels: channels)
                XCTAssertEqual(net.parameterCount, torch[width.rawValue]?[String(channels)], "\(width) \(channels)ch")
                if channels == 3 { XCTAssertEqual(net.parameterCount, published[width], "\(width) published") }
            }
        }
    }

    func testStateDictNamesFollowPyTorch() {
        let names = Set(ResEmoteNet(width: .C).stateDict().keys)
        for expected in ["conv1.weight", "conv1.bias", "bn1.running_mean", "bn1.num_batches_tracked", "se.fc.0.weight",
                         "se.fc.2.weight", "res_block1.conv1.weight", "res_block1.shortcut.0.weight",
                         "res_block3.shortcut.1.running_var", "fc1.weight", "fc4.bias"] {
            XCTAssertTrue(names.contains(expected), expected)
        }
        // 12 BatchNorms × 5 entries, 12 convolutions × 2, 2 SE weights, 4 linear layers × 2.
        XCTAssertEqual(names.count, 12 * 5 + 12 * 2 + 2 + 4 * 2)
    }

    func testSixtyFourPixelInputRunsThroughEveryStage() {
        let net = ResEmoteNet(width: .C, inputChannels: 3, inputSize: 64)
        let x = Tensor(shape: [2, 3, 64, 64], repeating: 0.1)
        XCTAssertEqual(net.forward(x, training: true).shape, [2, 7])
        XCTAssertEqual(InferenceNetwork(net).logits(x).shape, [2, 7])
    }
}
