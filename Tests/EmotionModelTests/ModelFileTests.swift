import XCTest
import NeuralNet
@testable import EmotionModel
import TestSupport

/// safetensors round trips, PyTorch-written files, label remapping and bad files.
final class ModelFileTests: XCTestCase {
    private let dir = TestPaths.temporaryDirectory("nn-modelfile")
    private let golden = TestPaths.fixture("nn/golden_c_weights.safetensors")

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func testF32AndF16RoundTrips() throws {
        let loaded = try ModelFile.load(contentsOf: golden)
        for dtype in [SafetensorsFile.DType.f32, .f16] {
            let url = dir.appendingPathComponent("m-\(dtype.rawValue).safetensors")
            try ModelFile.save(loaded.network, metadata: loaded.metadata, to: url, dtype: dtype)
            let again = try ModelFile.load(contentsOf: url)
            // The fixture's weights are f16-exact, so both widths reproduce them bit for bit.
            XCTAssertEqual(again.network.stateDict(), loaded.network.stateDict())
            XCTAssertEqual(again.metadata, loaded.metadata)
            let raw = try SafetensorsFile(contentsOf: url)
            XCTAssertEqual(raw.storedTypes["conv1.weight"], dtype)
            XCTAssertEqual(raw.storedTypes["bn1.num_batches_tracked"], .i64)
        }
        // The PyTorch-written fixture (F16 + I64 counters) kept its header types.
        XCTAssertEqual(try SafetensorsFile(contentsOf: golden).storedTypes["fc4.weight"], .f16)
    }

    func testF16RoundsToNearest() throws {
        let file = SafetensorsFile(tensors: ["t": Tensor(shape: [3], storage: [1.0 / 3.0, 65504, -2.5e-8])])
        let back = try SafetensorsFile(data: try file.serialized(dtype: .f16), source: "mem")
        XCTAssertEqual(back.tensors["t"]!.storage, [Float(Float16(1.0 / 3.0)), 65504, Float(Float16(-2.5e-8))])
    }

    /// Issue 22: a file without metadata was accepted with guessed preprocessing (and gave other results
    /// than the model it came from); it is refused unless inference is asked for.
    func testAFileWithoutMetadataIsRefused() throws {
        var file = try SafetensorsFile(contentsOf: golden)
        file.metadata = [:]
        let url = dir.appendingPathComponent("plain.safetensors")
        try file.serialized(dtype: .f32).write(to: url)
        let message = "\(url.path): the file does not state its architecture and preprocessing (metadata width, "
            + "input_size, mean, std missing), so EmoteLab cannot feed it faces as it was trained; save it with "
            + "`emotelab train` or `distill`, or add those keys to its safetensors __metadata__"
        XCTAssertThrowsError(try ModelFile.load(contentsOf: url)) { XCTAssertEqual("\($0)", message) }
        file.metadata = ["width": "C", "input_size": "48", "mean": "0.5"]
        XCTAssertThrowsError(try ModelFile.load(file, source: "partial")) { error in
            XCTAssertTrue("\(error)".hasPrefix("partial: the file does not state its architecture and preprocessing "
                                              + "(metadata std missing)"), "\(error)")
        }
        // Through the command line: one error line, exit status 1.
        let result = try CommandRunner.run(["evaluate", "--model", url.path, "--data", TestPaths.ferMini.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "error: \(message)\n")
    }

    func testAFileWithoutMetadataIsInferredFromShapesWhenAsked() throws {
        var file = try SafetensorsFile(contentsOf: golden)
        file.metadata = [:]
        let loaded = try ModelFile.load(file, source: "plain", inferMissingMetadata: true)
        XCTAssertEqual(loaded.metadata.architecture, ResEmoteNetArchitecture(width: .C, inputChannels: 1, inputSize: 48))
        XCTAssertEqual(loaded.metadata.preprocessing.mean, [0])
        XCTAssertEqual(loaded.metadata.preprocessing.std, [1])
    }

    /// A file in FER2013-CSV label order (…, sad, surprise, neutral) gives the same probabilities per label.
    func testLabelOrderIsRemappedOnLoad() throws {
        var file = try SafetensorsFile(contentsOf: golden)
        let fileOrder = ["Anger", "disgust", "fear", "happiness", "sad", "surprise", "neutral"]
        let ours = EmotionLabel.allCases
        for name in ["fc4.weight", "fc4.bias"] {
            let t = file.tensors[name]!
            let row = t.count / 7
            var storage: [Float] = []
            for label in fileOrder { let i = ModelFile.label(named: label)!.rawValue; storage += t.storage[i * row..<(i + 1) * row] }
            file.tensors[name] = Tensor(shape: t.shape, storage: storage)
        }
        file.metadata["labels"] = fileOrder.joined(separator: ",")
        let remapped = try ModelFile.load(file, source: "csv-order")
        XCTAssertEqual(remapped.metadata.labels, ours.map(\.name))
        let original = try ModelFile.load(contentsOf: golden)
        XCTAssertEqual(remapped.network.fc4.weight.value, original.network.fc4.weight.value)
        XCTAssertEqual(remapped.network.fc4.bias!.value, original.network.fc4.bias!.value)

        file.metadata["labels"] = "angry,disgust,fear,happy,neutral,sad,contempt"
        XCTAssertThrowsError(try ModelFile.load(file, source: "odd")) { error in
            XCTAssertEqual("\(error)", "odd: labels angry,disgust,fear,happy,neutral,sad,contempt are not the seven classes angry,disgust,fear,happy,neutral,sad,surprise")
        }
    }

    private func write(_ data: Data, _ name: String) throws -> URL {
        let url = dir.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }

    private func assertLoadError(_ data: Data, contains text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = try write(data, "bad-\(UUID().uuidString).safetensors")
        XCTAssertThrowsError(try ModelFile.load(contentsOf: url), file: file, line: line) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix(url.path + ": "), message, file: file, line: line)
            XCTAssertTrue(message.contains(text), "'\(message)' lacks '\(text)'", file: file, line: line)
            XCTAssertFalse(message.contains("\n"), file: file, line: line)
        }
    }

    /// Header JSON and data of a small valid file, for corrupting.
    private func parts(_ data: Data) -> (header: String, body: Data) {
        let n = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        return (String(decoding: data[8..<(8 + n)], as: UTF8.self), data.subdata(in: (8 + n)..<data.count))
    }

    private func assemble(_ header: String, _ body: Data) -> Data {
        var out = Data()
        var n = UInt64(header.utf8.count)
        withUnsafeBytes(of: &n) { out.append(contentsOf: $0) }
        out.append(contentsOf: Array(header.utf8))
        out.append(body)
        return out
    }

    func testBadFilesGiveOneLineErrorsNamingTheTensor() throws {
        let good = try Data(contentsOf: golden)
        try assertLoadError(good.prefix(5), contains: "not a safetensors file")
        try assertLoadError(good.prefix(good.count - 100), contains: "outside the")             // truncated data
        try assertLoadError(good.prefix(1000), contains: "header length")                        // truncated header
        var corrupt = good
        corrupt[8] = 0x5B; corrupt[9] = 0x7D                                                       // broken JSON
        try assertLoadError(corrupt, contains: "header is not valid JSON")

        let (header, body) = parts(good)
        // A header that lies about a tensor's size.
        let lying = header.replacingOccurrences(of: "\"fc4.bias\":{\"dtype\":\"F16\",\"shape\":[7]", with: "\"fc4.bias\":{\"dtype\":\"F16\",\"shape\":[9]")
        XCTAssertNotEqual(lying, header)
        try assertLoadError(assemble(lying, body), contains: "tensor fc4.bias: 14 bytes for shape [9] of F16")
        // An unknown dtype.
        try assertLoadError(assemble(header.replacingOccurrences(of: "\"fc4.bias\":{\"dtype\":\"F16\"", with: "\"fc4.bias\":{\"dtype\":\"Q4\""), body),
                            contains: "tensor fc4.bias: unsupported dtype Q4")
        // A missing tensor and a tensor with the wrong shape (consistent header, wrong architecture).
        var file = try SafetensorsFile(contentsOf: golden)
        file.tensors["fc2.bias"] = nil
        try assertLoadError(try file.serialized(dtype: .f16), contains: "missing tensor fc2.bias")
        file = try SafetensorsFile(contentsOf: golden)
        file.tensors["res_block2.conv1.weight"] = Tensor(shape: [128, 64, 3, 1])
        try assertLoadError(try file.serialized(), contains: "tensor res_block2.conv1.weight has shape [128, 64, 3, 1], expected [128, 64, 3, 3]")
        file = try SafetensorsFile(contentsOf: golden)
        file.tensors["fc3.weight"]!.storage[5] = .nan
        try assertLoadError(try file.serialized(), contains: "tensor fc3.weight contains NaN")
        file = try SafetensorsFile(contentsOf: golden)
        file.tensors["extra.weight"] = Tensor(shape: [1])
        try assertLoadError(try file.serialized(), contains: "unexpected tensor extra.weight")
        // Overlapping data ranges.
        let overlap = assemble("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", Data(count: 12))
        XCTAssertThrowsError(try SafetensorsFile(data: overlap, source: "o")) { XCTAssertEqual("\($0)", "o: tensor b: data overlaps tensor a") }
        try assertLoadError(Data(), contains: "not a safetensors file (only 0 bytes)")
        XCTAssertThrowsError(try ModelFile.load(contentsOf: dir.appendingPathComponent("none.safetensors"))) {
            XCTAssertTrue("\($0)".contains("none.safetensors: cannot read file"))
        }
    }

    /// Models made for the blurred copy of FER2013 asked for a sharpness step that no longer exists: loading
    /// one without it would give other results, so it is refused with the way out.
    func testAModelWithASharpnessTargetIsRefused() throws {
        var file = try SafetensorsFile(contentsOf: golden)
        file.metadata["sharpness"] = "0.0523"
        XCTAssertThrowsError(try ModelFile.load(file, source: "old.safetensors")) {
            XCTAssertEqual("\($0)", "old.safetensors: made for a blurred copy of FER2013 (its metadata asks for a "
                           + "sharpness step that EmoteLab no longer has); retrain it with `emotelab train`")
        }
    }
}
