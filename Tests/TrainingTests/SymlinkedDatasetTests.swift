import EmotionModel
import FileNames
import Foundation
import TestSupport
import Training
import XCTest

/// Issue 22, item 5: split and class folders that are symbolic links are read like folders (as `analyze`
/// follows links), and a folder reached twice through links is read once.
final class SymlinkedDatasetTests: XCTestCase {
    let mini = TestPaths.ferMini.appendingPathComponent("train")

    /// `<root>/train` → `<real>`; `<real>/happy` and `<real>/Happiness` → FER-mini's happy (20 images),
    /// `<real>/sad` → its sad (20), `<real>/neutral` → `<real>` itself (a loop; holds only folders).
    func makeLinkedTree() throws -> URL {
        let dir = TestPaths.temporaryDirectory()
        let real = dir.appendingPathComponent("real")
        let root = dir.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: real, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("train").path, withDestinationPath: real.path)
        try fm.createSymbolicLink(atPath: real.appendingPathComponent("happy").path,
                                  withDestinationPath: mini.appendingPathComponent("happy").path)
        try fm.createSymbolicLink(atPath: real.appendingPathComponent("Happiness").path,
                                  withDestinationPath: mini.appendingPathComponent("happy").path)
        try fm.createSymbolicLink(atPath: real.appendingPathComponent("sad").path,
                                  withDestinationPath: mini.appendingPathComponent("sad").path)
        try fm.createSymbolicLink(atPath: real.appendingPathComponent("neutral").path, withDestinationPath: real.path)
        return root
    }

    func testLinkedSplitAndClassFoldersAreRead() throws {
        let root = try makeLinkedTree()
        var warnings: [String] = []
        let source = try DatasetSource(root)
        XCTAssertEqual(try ImageFolderDataset.splits(in: root), ["train"])
        let train = try XCTUnwrap(try source.load(required: ["train"], side: 48, classNames: EmotionLabel.names,
                                                  resize: MiniData.resize, warnings: &warnings)["train"])
        // happy once (not 40), sad, and nothing from the looping neutral link.
        XCTAssertEqual(train.classCounts, [0, 0, 0, 20, 0, 20, 0])
        XCTAssertEqual(warnings, [])
    }

    func testOneFolderLinkedAsTwoClassesIsRefused() throws {
        let root = try makeLinkedTree()
        let split = root.appendingPathComponent("train")
        try FileManager.default.createSymbolicLink(atPath: split.appendingPathComponent("angry").path,
                                                   withDestinationPath: mini.appendingPathComponent("sad").path)
        var warnings: [String] = []
        XCTAssertThrowsError(try DatasetSource(root).load(required: ["train"], side: 48, classNames: EmotionLabel.names,
                                                          resize: MiniData.resize, warnings: &warnings)) { error in
            XCTAssertEqual("\(error)", "\(split.path)/sad: is the same folder as 'angry' (through a link), but one is "
                           + "sad and the other angry")
        }
    }

    /// `evaluate`, `train` and `distill` through the binary on the linked tree (before: "no images").
    func testCommandsReadLinkedFolders() throws {
        let root = try makeLinkedTree()
        let dir = TestPaths.temporaryDirectory()
        let model = dir.appendingPathComponent("happy.safetensors")
        try TestModels.constant(.happy, at: model)
        // A model that always answers happy is right on the 20 happy images of 40.
        let evaluate = try CommandRunner.run(["evaluate", "--model", model.path, "--data", root.path, "--split", "train"])
        XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
        XCTAssertTrue(evaluate.stdout.contains("images: 40   accuracy: 50.00 %"), evaluate.stdout)
        let common = ["--data", root.path, "--epochs", "1", "--batch-size", "32", "--threads", "2", "--val-split", "none"]
        let train = try CommandRunner.run(["train", "--arch", "C", "--out", dir.appendingPathComponent("t.safetensors").path]
                                          + common)
        XCTAssertEqual(train.status, 0, train.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("t.safetensors").path))
        let distill = try CommandRunner.run(["distill", "--teacher", "C", "--student", "C",
                                             "--out", dir.appendingPathComponent("d.safetensors").path] + common)
        XCTAssertEqual(distill.status, 0, distill.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("d.safetensors").path))
    }
}

/// Issue 22, item 4: an image whose name is not UTF-8 is read (Foundation listed it as `…\u{FFFD}…`, which
/// then could not be opened).
final class NonUTF8DatasetTests: XCTestCase {
    func testImageWithALatin1NameIsRead() throws {
        let root = TestPaths.temporaryDirectory()
        let folder = root.appendingPathComponent("train/happy")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let image = try Data(contentsOf: TestPaths.ferMini.appendingPathComponent("train/happy/Training_10019449.jpg"))
        let result = try CommandRunner.runShell("cat > \"\(folder.path)/$(printf 'gl\\374cklich.jpg')\"", in: root)
        XCTAssertEqual(result.status, 0, result.stderr)
        // (The shell wrote an empty file; fill it through its listed name, which keeps the byte.)
        let names = try XCTUnwrap(RawFileSystem.names(inFolder: folder.path))
        XCTAssertEqual(names.map(RawFileName.displayed), [#"gl\xFCcklich.jpg"#])
        let fd = RawFileName.withCString(folder.path + "/" + names[0]) { open($0, O_WRONLY | O_TRUNC) }
        XCTAssertEqual(image.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }, image.count)
        close(fd)
        var warnings: [String] = []
        let train = try XCTUnwrap(try DatasetSource(root).load(required: ["train"], side: 48, classNames: EmotionLabel.names,
                                                               resize: MiniData.resize, warnings: &warnings)["train"])
        XCTAssertEqual(train.classCounts, [0, 0, 0, 1, 0, 0, 0])
        XCTAssertEqual(warnings, [])
    }
}
