import XCTest
@testable import NeuralNet
import TestSupport

/// The reader against a file written by the official `safetensors` library (Fixtures/nn/make_safetensors_interop.py).
final class SafetensorsInteropTests: XCTestCase {
    func testReadsAFileWrittenBySaveFile() throws {
        let file = try SafetensorsFile(contentsOf: TestPaths.fixture("nn/torch_save_file.safetensors"))
        XCTAssertEqual(file.metadata, ["width": "C", "note": "save_file"])
        XCTAssertEqual(file.tensors["conv.weight"], Tensor(shape: [2, 3, 2, 2], storage: (0..<24).map { Float($0) / 8 - 1 }))
        XCTAssertEqual(file.tensors["half"]?.storage, [0.5, -1.25, Float(Float16(3.0e-5)), 65504])
        XCTAssertEqual(file.tensors["brain"]?.storage, [1, -2.5, 1024])
        XCTAssertEqual(file.tensors["bn.num_batches_tracked"], Tensor(shape: [], storage: [12345]))
        XCTAssertEqual(file.tensors["double"], Tensor(shape: [1, 2], storage: [0.1, 0.2]))
        XCTAssertEqual(file.storedTypes, ["conv.weight": .f32, "half": .f16, "brain": .bf16, "bn.num_batches_tracked": .i64, "double": .f64])
    }

    /// Our writer's bytes parse back identically (F32 and I64) and its header is padded to 8 bytes with spaces.
    func testWriterRoundTripAndHeaderLayout() throws {
        let file = SafetensorsFile(tensors: ["w": Tensor(shape: [2, 2], storage: [1, -2, 3.5, 0]),
                                             "n": Tensor(shape: [], storage: [7])],
                                   metadata: ["k": "a \"quoted\" value"])
        let data = try file.serialized(int64Names: ["n"])
        let headerLength = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        XCTAssertEqual(headerLength % 8, 0)
        let back = try SafetensorsFile(data: data, source: "mem")
        XCTAssertEqual(back.tensors, file.tensors)
        XCTAssertEqual(back.metadata, file.metadata)
        XCTAssertEqual(back.storedTypes, ["w": .f32, "n": .i64])
    }
}
