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
}
