import Foundation
import XCTest
import Training

final class TrainingConfigurationTests: XCTestCase {
    /// Out-of-range settings are refused with the option's name and value.
    func testValidation() {
        let cases: [(TrainingConfiguration, String)] = [
            (TrainingConfiguration(architecture: "C", epochs: 0), "--epochs must be at least 1 (got 0)"),
            (TrainingConfiguration(architecture: "C", batchSize: 1),
             "--batch-size must be at least 2 (BatchNorm needs two images; got 1)"),
            (TrainingConfiguration(architecture: "C", learningRate: -1), "--lr must be a positive number (got -1.0)"),
            (TrainingConfiguration(architecture: "C", epochs: 5, warmupEpochs: 5),
             "--warmup-epochs must be at least 0 and less than --epochs (got 5.0)"),
            (TrainingConfiguration(architecture: "C", augmentation: AugmentationOptions(maxShift: 24)),
             "--shift must be between 0 and 23 pixels (got 24)"),
            (TrainingConfiguration(architecture: "C", augmentation: AugmentationOptions(maxContrast: 5)),
             "--contrast must be between 0 and 3 (got 5.0)"),
            (TrainingConfiguration(architecture: "C", distillation: .init(temperature: 0, teacher: "t")),
             "--temperature must be positive (got 0.0)"),
            (TrainingConfiguration(architecture: "C", weightAverageDecay: 1),
             "--ema must be a decay between 0 and 1, e.g. 0.999 (got 1.0)"),
        ]
        for (config, message) in cases {
            XCTAssertThrowsError(try config.validate()) { XCTAssertEqual("\($0)", message) }
        }
        XCTAssertNoThrow(try TrainingConfiguration(architecture: "C").validate())
        var mixed = TrainingConfiguration(architecture: "C", mixing: MixingOptions(mixupAlpha: 0))
        XCTAssertThrowsError(try mixed.validate()) {
            XCTAssertEqual("\($0)", "--mixup must be an α between 0 and 10, e.g. 0.2 (got 0.0)")
        }
        mixed.mixing = MixingOptions(mixupAlpha: 0.2, cutmixAlpha: 1)
        XCTAssertNoThrow(try mixed.validate())
        mixed.distillation = .init(teacher: "t")
        XCTAssertThrowsError(try mixed.validate()) {
            XCTAssertEqual("\($0)", "--mixup and --cutmix need --teacher-views augmented when distilling (the cached "
                           + "logits are of unmixed images)")
        }
        mixed.distillation?.teacherViews = .augmented
        XCTAssertNoThrow(try mixed.validate())

        var cropped = TrainingConfiguration(architecture: "C", detectorCropRate: 0.5)
        XCTAssertThrowsError(try cropped.validate()) {
            XCTAssertEqual("\($0)", "--detector-crop-rate needs --detector-crops (the detector whose crops are shown)")
        }
        cropped.detectorCrops = "blazeface"
        XCTAssertNoThrow(try cropped.validate())
        for rate: Float in [0, 1.5] {
            cropped.detectorCropRate = rate
            XCTAssertThrowsError(try cropped.validate()) {
                XCTAssertEqual("\($0)", "--detector-crop-rate must be a probability above 0 and at most 1 (got \(rate))")
            }
        }
    }

    /// Differences name the option, the checkpoint's value and the current one.
    func testDifferences() {
        let a = TrainingConfiguration(architecture: "B", seed: 1)
        var b = a
        b.seed = 2
        b.distillation = .init(temperature: 3, beta: 0.2, teacher: "t.safetensors fnv1a:00")
        b.weightAverageDecay = 0.999
        XCTAssertEqual(b.differences(from: a), ["--seed 1 in the checkpoint, 2 now",
                                                "--temperature none in the checkpoint, 3.0 now",
                                                "--beta none in the checkpoint, 0.2 now",
                                                "teacher none in the checkpoint, t.safetensors fnv1a:00 now",
                                                "--teacher-views none in the checkpoint, clean now",
                                                "--ema none in the checkpoint, 0.999 now"])
        XCTAssertEqual(a.differences(from: a), [])
        var d = a
        d.mixing = MixingOptions(cutmixAlpha: 1)
        XCTAssertEqual(d.differences(from: a), ["--cutmix none in the checkpoint, 1.0 now"])
        var e = a
        (e.detectorCrops, e.detectorCropRate) = ("blazeface", 0.5)
        XCTAssertEqual(e.differences(from: a), ["--detector-crops none in the checkpoint, blazeface now",
                                                "--detector-crop-rate none in the checkpoint, 0.5 now"])
        var c = b
        c.distillation?.teacherViews = .augmented
        XCTAssertEqual(c.differences(from: b), ["--teacher-views clean in the checkpoint, augmented now"])
    }

    /// Settings saved before `--detector-crops` existed (every earlier checkpoint and model summary) read back
    /// without it; a run with it writes and reads both fields.
    func testDetectorCropsDecodeAbsentAsOff() throws {
        let old = TrainingConfiguration(architecture: "B", seed: 3)
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(old)) as! [String: Any]
        XCTAssertNil(json["detectorCrops"], "an unset option is not written")
        json["detectorCrops"] = nil
        let decoded = try JSONDecoder().decode(TrainingConfiguration.self, from: JSONSerialization.data(withJSONObject: json))
        XCTAssertEqual(decoded, old)
        XCTAssertNil(decoded.detectorCrops)
        var cropped = old
        (cropped.detectorCrops, cropped.detectorCropRate) = ("blazeface", 0.3)
        XCTAssertEqual(try JSONDecoder().decode(TrainingConfiguration.self, from: JSONEncoder().encode(cropped)), cropped)
    }

    /// Settings saved before `--teacher-views` existed (checkpoints of earlier distillation runs) read back as
    /// `clean`, what those runs did.
    func testDistillationDecodesWithoutTeacherViews() throws {
        let json = #"{"temperature": 3, "beta": 0.15, "teacher": "B.safetensors fnv1a:01"}"#
        let decoded = try JSONDecoder().decode(TrainingConfiguration.Distillation.self, from: Data(json.utf8))
        XCTAssertEqual(decoded, .init(temperature: 3, beta: 0.15, teacher: "B.safetensors fnv1a:01", teacherViews: .clean))
        let augmented = TrainingConfiguration.Distillation(teacher: "t", teacherViews: .augmented)
        let roundTrip = try JSONDecoder().decode(TrainingConfiguration.Distillation.self,
                                                 from: JSONEncoder().encode(augmented))
        XCTAssertEqual(roundTrip, augmented)
    }
}
