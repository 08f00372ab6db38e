import Foundation
import XCTest
import NeuralNet
import Training

final class AugmentationTests: XCTestCase {
    /// A 3×3 image with distinct pixels:
    ///   1 2 3
    ///   4 5 6
    ///   7 8 9
    let image: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8, 9]

    private func apply(_ a: Augmentation, _ source: [UInt8], side: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: source.count)
        source.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { a.apply(src, side: side, to: $0) }
        }
        return out
    }

    func testIdentityAndFlip() {
        XCTAssertEqual(apply(.identity, image, side: 3), image)
        XCTAssertEqual(apply(Augmentation(flip: true, dx: 0, dy: 0, rotation: 0), image, side: 3),
                       [3, 2, 1, 6, 5, 4, 9, 8, 7])
    }

    /// Content moves right by dx and down by dy; the uncovered border repeats the edge.
    func testShiftRepeatsEdges() {
        XCTAssertEqual(apply(Augmentation(flip: false, dx: 1, dy: 0, rotation: 0), image, side: 3),
                       [1, 1, 2, 4, 4, 5, 7, 7, 8])
        XCTAssertEqual(apply(Augmentation(flip: false, dx: 0, dy: -1, rotation: 0), image, side: 3),
                       [4, 5, 6, 7, 8, 9, 7, 8, 9])
        // Shift then mirror: the shifted image [1 1 2 / 4 4 5 / 7 7 8] mirrored.
        XCTAssertEqual(apply(Augmentation(flip: true, dx: 1, dy: 0, rotation: 0), image, side: 3),
                       [2, 1, 1, 5, 4, 4, 8, 7, 7])
    }

    /// A quarter turn counter-clockwise (as seen on screen) moves the right column to the top row.
    ///   3 6 9
    ///   2 5 8
    ///   1 4 7
    func testQuarterTurn() {
        XCTAssertEqual(apply(Augmentation(flip: false, dx: 0, dy: 0, rotation: 90), image, side: 3),
                       [3, 6, 9, 2, 5, 8, 1, 4, 7])
        XCTAssertEqual(apply(Augmentation(flip: false, dx: 0, dy: 0, rotation: -90), image, side: 3),
                       [7, 4, 1, 8, 5, 2, 9, 6, 3])
    }

    /// Half a pixel's worth of rotation interpolates: a 45° turn of a 2×2 image samples its centre
    /// corners' neighbours. Here a flat image stays flat under any rotation and shift.
    func testFlatImageStaysFlat() {
        let flat = [UInt8](repeating: 77, count: 25)
        XCTAssertEqual(apply(Augmentation(flip: true, dx: 2, dy: -1, rotation: 13.5), flat, side: 5), flat)
    }

    /// Contrast about the source mean, then brightness, rounded and clamped. The mean of 1…9 is 5;
    /// contrast 2: 5 + 2·(v − 5) = −3, −1, 1, 3, 5, 7, 9, 11, 13 → clamped 0, 0, 1, 3, 5, 7, 9, 11, 13;
    /// brightness 250 on top: 2v + 245 = 247, 249, 251, 253, 255, 257… → clamped at 255.
    func testContrastAndBrightness() {
        XCTAssertEqual(apply(Augmentation(flip: false, dx: 0, dy: 0, rotation: 0, contrast: 2), image, side: 3),
                       [0, 0, 1, 3, 5, 7, 9, 11, 13])
        XCTAssertEqual(apply(Augmentation(flip: false, dx: 0, dy: 0, rotation: 0, contrast: 2, brightness: 250), image,
                             side: 3), [247, 249, 251, 253, 255, 255, 255, 255, 255])
        // Half the contrast of 1…9 with a mirror: 5 + (v − 5)/2 = 3, 3.5, 4, … rounded half away from zero.
        XCTAssertEqual(apply(Augmentation(flip: true, dx: 0, dy: 0, rotation: 0, contrast: 0.5), image, side: 3),
                       [4, 4, 3, 6, 5, 5, 7, 7, 6])
    }

    /// Drawing takes a fixed number of values per option set, and stays inside the limits.
    func testRandomDrawsWithinLimits() {
        var g = RandomGenerator(seed: 7)
        let options = AugmentationOptions(horizontalFlip: true, maxShift: 2, maxRotation: 10, maxContrast: 0.5,
                                          maxBrightness: 20)
        var flips = 0
        for _ in 0..<1000 {
            let a = Augmentation.random(options, using: &g)
            XCTAssertTrue((-2...2).contains(a.dx) && (-2...2).contains(a.dy))
            XCTAssertTrue(abs(a.rotation) <= 10)
            XCTAssertTrue(a.contrast >= 1 / 1.5 - 1e-6 && a.contrast <= 1.5 + 1e-6, "\(a.contrast)")
            XCTAssertTrue(abs(a.brightness) <= 20)
            if a.flip { flips += 1 }
        }
        XCTAssertTrue((400...600).contains(flips), "\(flips) flips of 1000")
        var off = RandomGenerator(seed: 7)
        XCTAssertEqual(Augmentation.random(.none, using: &off), .identity)
        XCTAssertEqual(off, RandomGenerator(seed: 7), "no augmentation draws nothing")
    }

    /// Zoom about the centre of a 5×5 horizontal ramp (v = 10·x, centre 2): ×2 samples x' = 2 + (x − 2)/2
    /// (0→1, 1→1.5, …: 10 15 20 25 30); ×½ samples 2 + 2(x − 2) = −2, 0, 2, 4, 6, clamped to the edge.
    func testZoomAboutTheCentre() {
        let ramp = (0..<25).map { UInt8(10 * ($0 % 5)) }
        let zoomIn = apply(Augmentation(flip: false, dx: 0, dy: 0, rotation: 0, scale: 2), ramp, side: 5)
        let zoomOut = apply(Augmentation(flip: false, dx: 0, dy: 0, rotation: 0, scale: 0.5), ramp, side: 5)
        for y in 0..<5 {
            XCTAssertEqual(Array(zoomIn[(y * 5)..<(y * 5 + 5)]), [10, 15, 20, 25, 30])
            XCTAssertEqual(Array(zoomOut[(y * 5)..<(y * 5 + 5)]), [0, 0, 20, 40, 40])
        }
    }

    /// The erased rectangle holds the noise bytes of its seed (the top byte of each draw, row by row) and
    /// nothing outside it changes.
    func testErasedRegionIsNoiseFromItsSeed() {
        let flat = [UInt8](repeating: 77, count: 36)
        let region = Augmentation.ErasedRegion(x: 1, y: 2, width: 3, height: 2, noiseSeed: 42)
        let out = apply(Augmentation(flip: false, dx: 0, dy: 0, rotation: 0, erased: region), flat, side: 6)
        var noise = RandomGenerator(seed: 42)
        for y in 0..<6 {
            for x in 0..<6 {
                let inside = (1...3).contains(x) && (2...3).contains(y)
                let want = inside ? UInt8(noise.next() >> 56) : 77
                XCTAssertEqual(out[y * 6 + x], want, "(\(x), \(y))")
            }
        }
    }

    /// Scale and erasing draws stay inside their limits, erase about the asked share of images, and take the
    /// same number of values whatever the probability (so plans stay reproducible).
    func testScaleAndErasingDraws() {
        let options = AugmentationOptions(horizontalFlip: false, maxScale: 0.2, erasing: 0.5)
        var g = RandomGenerator(seed: 11)
        var erased = 0
        for _ in 0..<2000 {
            let a = Augmentation.random(options, side: 48, using: &g)
            XCTAssertTrue(a.scale >= 1 / 1.2 - 1e-6 && a.scale <= 1.2 + 1e-6, "\(a.scale)")
            if let r = a.erased {
                erased += 1
                XCTAssertTrue(r.x >= 0 && r.y >= 0 && r.x + r.width <= 48 && r.y + r.height <= 48, "\(r)")
                let share = Double(r.width * r.height) / (48 * 48)
                XCTAssertTrue(share >= 0.015 && share <= 0.45, "\(share)")
            }
        }
        XCTAssertTrue((900...1100).contains(erased), "\(erased) of 2000 erased")
        var rare = RandomGenerator(seed: 5), often = RandomGenerator(seed: 5)
        _ = Augmentation.random(AugmentationOptions(erasing: 0.01), using: &rare)
        _ = Augmentation.random(AugmentationOptions(erasing: 0.99), using: &often)
        XCTAssertEqual(rare, often)
    }

    /// Options saved before scale jitter and erasing existed (checkpoints, model summaries) read as off.
    func testOlderOptionsDecodeWithTheNewStepsOff() throws {
        let json = #"{"horizontalFlip":true,"maxShift":2,"maxRotation":0,"maxContrast":0,"maxBrightness":0}"#
        let options = try JSONDecoder().decode(AugmentationOptions.self, from: Data(json.utf8))
        XCTAssertEqual(options, AugmentationOptions(horizontalFlip: true, maxShift: 2))
        let again = try JSONDecoder().decode(AugmentationOptions.self,
                                             from: JSONEncoder().encode(AugmentationOptions(maxScale: 0.1, erasing: 0.5)))
        XCTAssertEqual(again, AugmentationOptions(maxScale: 0.1, erasing: 0.5))
    }
}
