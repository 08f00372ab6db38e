import EmotionModel
import NeuralNet
import XCTest
@testable import Training
import TestSupport

/// `--teacher-views augmented`: teachers run on each batch as the student sees it.
final class LiveTeachersTests: XCTestCase {
    override func setUp() { Compute.threadCount = 2 }

    private static let classes = 7

    private func row(_ t: Tensor, _ i: Int) -> [Float] { Array(t.storage[i * Self.classes..<(i + 1) * Self.classes]) }

    /// On un-augmented and mirrored views the live logits are the cached ones (`TeacherLogits`, computed over
    /// the whole set in other batches); on a shifted, rotated, zoomed and erased view they are the teacher's
    /// logits of that view (`Evaluator.logits` with the augmentation applied to every image), which the clean
    /// cache does not hold.
    func testLogitsAreTheTeachersOnTheViewTheStudentSees() throws {
        let teacher = try TestModels.tinyTeacher(in: TestPaths.temporaryDirectory())
        let live = try LiveTeachers(teachers: [teacher], dataset: MiniData.train)
        let cached = TeacherLogits.compute(teacher: teacher, dataset: MiniData.train)
        let indices = [5, 139, 0, 77]
        let plain = live.logits(indices[...], augmentations: Array(repeating: .identity, count: 4)[...])
        let mirror = Augmentation(flip: true, dx: 0, dy: 0, rotation: 0)
        let mirrored = live.logits(indices[...], augmentations: Array(repeating: mirror, count: 4)[...])
        XCTAssertEqual(plain.shape, [4, 7])
        for (r, i) in indices.enumerated() {
            for j in 0..<7 {
                XCTAssertEqual(plain.storage[r * 7 + j], cached.storage[(i * 2) * 7 + j], accuracy: 1e-5)
                XCTAssertEqual(mirrored.storage[r * 7 + j], cached.storage[(i * 2 + 1) * 7 + j], accuracy: 1e-5)
            }
        }

        let distorted = Augmentation(flip: true, dx: 3, dy: -2, rotation: 8, scale: 1.12,
                                     erased: .init(x: 10, y: 20, width: 14, height: 9, noiseSeed: 42))
        let seen = live.logits(indices[...], augmentations: Array(repeating: distorted, count: 4)[...])
        let reference = Evaluator.logits(InferenceNetwork(teacher.network),
                                         BatchAssembler(dataset: MiniData.train, preprocessing: teacher.metadata.preprocessing),
                                         augmentation: distorted)
        var largestChange: Float = 0
        for (r, i) in indices.enumerated() {
            for j in 0..<7 {
                XCTAssertEqual(seen.storage[r * 7 + j], reference.storage[i * 7 + j], accuracy: 1e-5)
                largestChange = max(largestChange, abs(seen.storage[r * 7 + j] - cached.storage[(i * 2 + 1) * 7 + j]))
            }
        }
        XCTAssertGreaterThan(largestChange, 0.05, "the distorted view must give other logits than the clean mirror")
    }

    /// An ensemble's live logits are the mean of its teachers': with the always-happy model (logits
    /// [0, 0, 0, 1, 0, 0, 0] for any face) each row is half the tiny teacher's plus 0.5 on happy.
    func testEnsembleIsTheMeanOfTheTeachers() throws {
        let dir = TestPaths.temporaryDirectory()
        let teacher = try TestModels.tinyTeacher(in: dir)
        let happyURL = dir.appendingPathComponent("happy.safetensors")
        try TestModels.constant(.happy, at: happyURL)
        let happy = try ModelFile.load(contentsOf: happyURL)
        let augmentations = (0..<6).map { Augmentation(flip: $0 % 2 == 0, dx: $0 - 3, dy: 1, rotation: Float($0)) }[...]
        let indices = [3, 9, 27, 81, 100, 120][...]
        let single = try LiveTeachers(teachers: [teacher], dataset: MiniData.train).logits(indices, augmentations: augmentations)
        let pair = try LiveTeachers(teachers: [teacher, happy], dataset: MiniData.train).logits(indices, augmentations: augmentations)
        for r in 0..<6 {
            let expected = row(single, r).enumerated().map { $0.element / 2 + ($0.offset == 3 ? 0.5 : 0) }
            for j in 0..<7 { XCTAssertEqual(row(pair, r)[j], expected[j], accuracy: 1e-6) }
        }
    }

    /// With mirroring as the only augmentation the cache holds exactly the views the student sees, so a run
    /// distilling from live teachers follows the same path as one from the cache: the same loss and the same
    /// weights after an epoch of 7 shuffled batches (up to the last bits of batching the teacher's products
    /// differently: 3e-6 here; over more steps such bits grow, as any two float orders of a training run do).
    func testMirrorOnlyRunMatchesTheCachedRun() throws {
        let dir = TestPaths.temporaryDirectory()
        let teacher = try TestModels.tinyTeacher(in: dir)
        func run(_ views: TrainingConfiguration.TeacherViews) throws -> Trainer {
            let config = TrainingConfiguration(architecture: "C", epochs: 1, batchSize: 20, learningRate: 0.01,
                                               augmentation: AugmentationOptions(horizontalFlip: true),
                                               dropoutStem: 0, dropoutHead: 0, seed: 5,
                                               distillation: .init(temperature: 3, beta: 2, teacher: "tiny",
                                                                   teacherViews: views))
            let trainer = try Trainer(configuration: config, train: MiniData.train, val: nil,
                                      preprocessing: MiniData.preprocessing(),
                                      teacherLogits: views == .clean
                                        ? TeacherLogits.compute(teacher: teacher, dataset: MiniData.train) : nil,
                                      liveTeachers: views == .augmented
                                        ? try LiveTeachers(teachers: [teacher], dataset: MiniData.train) : nil,
                                      checkpointURL: dir.appendingPathComponent("\(views).ckpt"))
            XCTAssertEqual(try trainer.run(), .completed)
            return trainer
        }
        let cached = try run(.clean), live = try run(.augmented)
        for (a, b) in zip(cached.progress.history, live.progress.history) {
            XCTAssertEqual(a.trainLoss, b.trainLoss, accuracy: 1e-5)
            XCTAssertEqual(try XCTUnwrap(a.distillation), try XCTUnwrap(b.distillation), accuracy: 1e-5)
        }
        let w1 = cached.model.stateDict(), w2 = live.model.stateDict()
        var largest: Float = 0
        for (name, t) in w1 { for (x, y) in zip(t.storage, w2[name]!.storage) { largest = max(largest, abs(x - y)) } }
        XCTAssertLessThan(largest, 1e-4)
        // The checkpoint of a live run holds no logits (they are not cached).
        XCTAssertNil(try Checkpoint(contentsOf: dir.appendingPathComponent("augmented.ckpt")).teacherLogits)
    }

    /// A live run stopped in the middle of epoch 2 and resumed with its teachers ends with the same bytes as
    /// one that never stopped; resuming without the teachers is an error.
    func testResumeEqualsUninterrupted() throws {
        let dir = TestPaths.temporaryDirectory()
        let teacher = try TestModels.tinyTeacher(in: dir)
        let live = try LiveTeachers(teachers: [teacher], dataset: MiniData.train)
        let config = TrainingConfiguration(architecture: "C", epochs: 2, batchSize: 32, learningRate: 0.01,
                                           augmentation: AugmentationOptions(horizontalFlip: true, maxShift: 3,
                                                                             maxRotation: 8, erasing: 0.5),
                                           dropoutStem: 0.1, dropoutHead: 0, seed: 9,
                                           distillation: .init(teacher: "tiny", teacherViews: .augmented))
        func trainer(_ name: String) throws -> Trainer {
            try Trainer(configuration: config, train: MiniData.train, val: MiniData.val, preprocessing: MiniData.preprocessing(),
                        liveTeachers: live, checkpointURL: dir.appendingPathComponent(name))
        }
        let reference = try trainer("ref.ckpt")
        XCTAssertEqual(try reference.run(), .completed)

        let first = try trainer("cut.ckpt")
        first.shouldStop = { [unowned first] in first.progress.completedEpochs == 1 && first.progress.batchesDone == 2 }
        XCTAssertEqual(try first.run(), .interrupted(epoch: 2, batch: 2))
        let url = dir.appendingPathComponent("cut.ckpt")
        let checkpoint = try Checkpoint(contentsOf: url)
        XCTAssertThrowsError(try Trainer(resuming: checkpoint, from: url, configuration: config, train: MiniData.train,
                                         val: MiniData.val)) { error in
            XCTAssertEqual("\(error)", "distillation from augmented views needs the teacher models")
        }
        let resumed = try Trainer(resuming: checkpoint, from: url, configuration: config, train: MiniData.train,
                                  val: MiniData.val, liveTeachers: live)
        XCTAssertEqual(try resumed.run(), .completed)
        XCTAssertEqual(resumed.model.stateDict(), reference.model.stateDict())
        XCTAssertEqual(resumed.progress.history.map(\.trainLoss), reference.progress.history.map(\.trainLoss))
    }

    /// A teacher of another input size cannot see the student's view: refused before training.
    func testTeacherOfAnotherSizeIsRefused() throws {
        let network = ResEmoteNet(architecture: ResEmoteNetArchitecture(width: .C, inputSize: 64))
        let url = TestPaths.temporaryDirectory().appendingPathComponent("c64.safetensors")
        try ModelFile.save(network, metadata: ModelMetadata(architecture: network.architecture, mean: [0.5], std: [0.25]),
                           to: url)
        let teacher = try ModelFile.load(contentsOf: url)
        XCTAssertThrowsError(try LiveTeachers(teachers: [teacher], dataset: MiniData.train)) { error in
            XCTAssertEqual("\(error)", "--teacher-views augmented needs teachers that take the student's 48×48 images, "
                           + "but a teacher takes 64×64 (use --teacher-views clean for it)")
        }
    }
}
