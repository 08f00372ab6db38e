import EmotionModel
import NeuralNet
import XCTest
@testable import Training
import TestSupport

/// Training on faces as the detector cuts them (`--detector-crops`): the crops sit beside the registered
/// images, the epoch plan picks one or the other per image, and everything else stays as it was.
final class DetectorCropsTests: XCTestCase {
    override func setUp() { Compute.threadCount = 2 }

    /// Stand-in crops: every image shifted 5 px to the left (another framing of the same face), none for
    /// every seventh image (the detector found no face there).
    static func shiftedCrops(of data: ImageDataset) -> DetectorCrops {
        let shift = Augmentation(flip: false, dx: -5, dy: 0, rotation: 0)
        let crops: [[UInt8]?] = (0..<data.count).map { i in
            guard i % 7 != 3 else { return nil }
            var out = [UInt8](repeating: 0, count: data.imageSize)
            let image = Array(data.image(i))
            image.withUnsafeBufferPointer { src in out.withUnsafeMutableBufferPointer { shift.apply(src, side: data.side, to: $0) } }
            return out
        }
        return DetectorCrops(detector: "test", crops: crops, of: data)
    }

    /// A face the detector found is read from its crop (then mirrored when the augmentation says so); a face
    /// it missed, and any image whose augmentation does not ask for the crop, from the registered pixels.
    func testAssemblerReadsTheCropWhenAsked() throws {
        let data = MiniData.val.subset([5, 6])
        let inverted = Array(data.image(0)).map { 255 - $0 }
        let crops = DetectorCrops(detector: "test", crops: [inverted, nil], of: data)
        XCTAssertEqual(crops.found, [true, false])
        XCTAssertEqual(crops.foundCount, 1)
        XCTAssertEqual(Array(crops.pixels[2304...]), Array(data.image(1)), "the registered image stands in")
        let withCrops = data.withDetectorCrops(crops)
        let pre = Preprocessing(inputSize: 48, inputChannels: 1, mean: [0], std: [1])
        let crop = Augmentation(flip: false, dx: 0, dy: 0, rotation: 0, detectorCrop: true)
        let mirroredCrop = Augmentation(flip: true, dx: 0, dy: 0, rotation: 0, detectorCrop: true)
        let batch = BatchAssembler(dataset: withCrops, preprocessing: pre)
            .batch([0, 0, 0, 1][...], augmentations: [.identity, crop, mirroredCrop, crop][...])
        let registered0 = Array(data.image(0)), registered1 = Array(data.image(1))
        for y in [0, 21, 47] {
            for x in [0, 9, 47] {
                let p = y * 48 + x
                XCTAssertEqual(batch.storage[p], Float(registered0[p]) * (1 / 255))
                XCTAssertEqual(batch.storage[2304 + p], Float(255 - registered0[p]) * (1 / 255))
                XCTAssertEqual(batch.storage[2 * 2304 + p], Float(255 - registered0[y * 48 + 47 - x]) * (1 / 255))
                XCTAssertEqual(batch.storage[3 * 2304 + p], Float(registered1[p]) * (1 / 255))
            }
        }
        XCTAssertNil(withCrops.subset([0]).detectorCrops, "a subset does not carry the crops")
    }

    private func configuration(rate: Float?, mixing: MixingOptions = .none) -> TrainingConfiguration {
        TrainingConfiguration(architecture: "C", epochs: 2, batchSize: 32, learningRate: 0.02,
                              augmentation: AugmentationOptions(horizontalFlip: true, maxShift: 3, maxRotation: 10, erasing: 0.3),
                              seed: 7, mixing: mixing, detectorCrops: rate == nil ? nil : "test", detectorCropRate: rate)
    }

    private func trainer(_ dir: URL, _ name: String, rate: Float?, crops: DetectorCrops?,
                         mixing: MixingOptions = .none) throws -> Trainer {
        let train = crops.map { MiniData.train.withDetectorCrops($0) } ?? MiniData.train
        return try Trainer(configuration: configuration(rate: rate, mixing: mixing), train: train, val: MiniData.val,
                           preprocessing: MiniData.preprocessing(), checkpointURL: dir.appendingPathComponent(name))
    }

    /// The crop choice is drawn after everything else: the shuffle, each image's distortion and the mixes are
    /// those of the run without crops. About `rate` of the found faces are shown cropped (1: all of them), and
    /// never a face the detector missed.
    func testPlanDrawsTheChoiceLast() throws {
        let dir = TestPaths.temporaryDirectory()
        let crops = Self.shiftedCrops(of: MiniData.train)
        let mixing = MixingOptions(mixupAlpha: 0.4)
        let plain = try trainer(dir, "p", rate: nil, crops: nil, mixing: mixing).plan(epochSeed: 99)
        for rate: Float in [0.5, 1] {
            let mixed = try trainer(dir, "m", rate: rate, crops: crops, mixing: mixing).plan(epochSeed: 99)
            XCTAssertEqual(mixed.order, plain.order)
            XCTAssertEqual(mixed.augmentations.map(\.distortion), plain.augmentations)
            XCTAssertEqual(mixed.mixes, plain.mixes)
            let shown = zip(mixed.order, mixed.augmentations).filter { $0.1.detectorCrop }.map(\.0)
            XCTAssertTrue(shown.allSatisfy { crops.found[$0] }, "a missed face is never shown as a crop")
            let fraction = Double(shown.count) / Double(crops.foundCount)
            if rate == 1 { XCTAssertEqual(shown.count, crops.foundCount) } else {
                // 120 found faces: a binomial share of 0.5 has a standard deviation of 0.046.
                XCTAssertGreaterThan(fraction, 0.3)
                XCTAssertLessThan(fraction, 0.7)
            }
        }
    }

    /// Crops identical to the registered images train exactly like a run without crops (the choice is the
    /// plan's last draw); crops that differ change the training loss of every epoch.
    func testCropsChangeOnlyWhatTheyShow() throws {
        let dir = TestPaths.temporaryDirectory()
        let same = DetectorCrops(detector: "test", crops: (0..<MiniData.train.count).map { Array(MiniData.train.image($0)) },
                                 of: MiniData.train)
        let plain = try trainer(dir, "plain", rate: nil, crops: nil)
        let identical = try trainer(dir, "same", rate: 0.5, crops: same)
        let shifted = try trainer(dir, "shifted", rate: 0.5, crops: Self.shiftedCrops(of: MiniData.train))
        for t in [plain, identical, shifted] { XCTAssertEqual(try t.run(), .completed) }
        XCTAssertEqual(identical.model.stateDict().mapValues { $0.storage.map(\.bitPattern) },
                       plain.model.stateDict().mapValues { $0.storage.map(\.bitPattern) })
        for (a, b) in zip(plain.progress.history, shifted.progress.history) {
            XCTAssertGreaterThan(abs(b.trainLoss - a.trainLoss), 1e-4, "epoch \(a.epoch)")
        }
    }

    /// Stopped in the middle of epoch 2 and resumed (the crops attached again, as `train --resume` recomputes
    /// them): the weights equal the uninterrupted run's bit for bit.
    func testResumeWithCrops() throws {
        let dir = TestPaths.temporaryDirectory()
        let crops = Self.shiftedCrops(of: MiniData.train)
        let reference = try trainer(dir, "ref.ckpt", rate: 0.5, crops: crops)
        XCTAssertEqual(try reference.run(), .completed)
        let first = try trainer(dir, "run.ckpt", rate: 0.5, crops: crops)
        first.shouldStop = { [unowned first] in first.progress.completedEpochs == 1 && first.progress.batchesDone == 2 }
        XCTAssertEqual(try first.run(), .interrupted(epoch: 2, batch: 2))
        let url = dir.appendingPathComponent("run.ckpt")
        let resumed = try Trainer(resuming: try Checkpoint(contentsOf: url), from: url,
                                  configuration: configuration(rate: 0.5), train: MiniData.train.withDetectorCrops(crops),
                                  val: MiniData.val)
        XCTAssertEqual(try resumed.run(), .completed)
        XCTAssertEqual(resumed.model.stateDict().mapValues { $0.storage.map(\.bitPattern) },
                       reference.model.stateDict().mapValues { $0.storage.map(\.bitPattern) })
        XCTAssertThrowsError(try Trainer(resuming: try Checkpoint(contentsOf: url), from: url,
                                         configuration: configuration(rate: 0.5), train: MiniData.train, val: MiniData.val)) {
            XCTAssertEqual("\($0)", "--detector-crops test: the training images have no detector crops attached")
        }
    }
}
