import Foundation
import VideoIO

/// Composites FER2013 faces onto face-free video frames: the synthetic part of the benchmark.
///
/// Each face is scaled to its side with bilinear sampling, rotated about its centre, and blended through a
/// rounded-square mask that turns with it (|u|⁴ + |v|⁴ ≤ 1 in the face's own half-side units: opaque to
/// 0.85, fading to nothing at the edge), so the whole face stays in and no hard patch edge is left for a
/// detector to key on. Faces do not overlap (10 % gap). Occlusion paints a hand-like patch of
/// even, noisy skin tone over a third of the face: the lower part (a hand over the mouth) or one side (a
/// hand at the cheek and eye). Darkening multiplies the whole frame by 0.3 and adds ±3 levels of noise, as
/// an underexposed webcam does.
struct SceneBuilder {
    enum Occlusion { case none, lower, side }

    /// What a condition puts in its frames.
    struct Condition {
        var name: String
        var sides: ClosedRange<Double>
        var tilt: Double = 0
        var occlusion = false
        var dark = false
    }

    let faces: [GrayImage]
    let backgrounds: [GrayImage]
    var random: SeededRandom
    private var nextFace = 0

    init(faces: [GrayImage], backgrounds: [GrayImage], seed: UInt64) {
        self.faces = faces
        self.backgrounds = backgrounds
        random = SeededRandom(seed: seed)
    }

    /// A frame with `count` faces under `condition` (fewer when they do not fit).
    mutating func frame(_ condition: Condition, count: Int) -> BenchFrame {
        let background = backgrounds[Int.random(in: 0..<backgrounds.count, using: &random)]
        var pixels = background.pixels
        let width = background.width, height = background.height
        var placed: [TruthFace] = []
        for _ in 0..<count {
            let side = Double.random(in: condition.sides, using: &random).rounded()
            var spot: (Double, Double)?
            for _ in 0..<50 {
                let cx = Double.random(in: side / 2 + 2...Double(width) - side / 2 - 2, using: &random)
                let cy = Double.random(in: side / 2 + 2...Double(height) - side / 2 - 2, using: &random)
                let clear = placed.allSatisfy { other in
                    abs(other.centerX - cx) > 0.55 * (other.side + side) || abs(other.centerY - cy) > 0.55 * (other.side + side)
                }
                if clear { spot = (cx, cy); break }
            }
            guard let (cx, cy) = spot else { continue }
            let sign: Double = Bool.random(using: &random) ? 1 : -1
            let face = faces[nextFace % faces.count]
            nextFace += 1
            paste(face, into: &pixels, width: width, height: height, centerX: cx, centerY: cy, side: side,
                  degrees: sign * condition.tilt)
            if condition.occlusion {
                occlude(&pixels, width: width, centerX: cx, centerY: cy, side: side,
                        kind: Bool.random(using: &random) ? .lower : .side)
            }
            placed.append(TruthFace(centerX: cx, centerY: cy, side: side))
        }
        if condition.dark {
            for i in pixels.indices {
                let noise = Double(Int.random(in: -3...3, using: &random))
                pixels[i] = UInt8(min(max((Double(pixels[i]) * 0.3 + noise).rounded(), 0), 255))
            }
        }
        return BenchFrame(condition: condition.name, width: width, height: height, pixels: pixels, faces: placed)
    }

    private func paste(_ face: GrayImage, into pixels: inout [UInt8], width: Int, height: Int,
                       centerX: Double, centerY: Double, side: Double, degrees: Double) {
        let angle = degrees * .pi / 180, c = cos(angle), s = sin(angle)
        let radius = side / 2
        let scale = Double(face.width) / side
        let reach = radius * 2.0.squareRoot()
        let x0 = max(0, Int(centerX - reach)), x1 = min(width - 1, Int(centerX + reach) + 1)
        let y0 = max(0, Int(centerY - reach)), y1 = min(height - 1, Int(centerY + reach) + 1)
        for y in y0...y1 {
            for x in x0...x1 {
                let dx = Double(x) + 0.5 - centerX, dy = Double(y) + 0.5 - centerY
                // Content rotated by `angle` about the centre: sample the source at the inverse rotation.
                let u = c * dx + s * dy, v = -s * dx + c * dy
                let nu = u / radius, nv = v / radius
                let r = pow(nu * nu * nu * nu + nv * nv * nv * nv, 0.25)
                guard r < 1 else { continue }
                let alpha = r <= 0.85 ? 1 : (1 - r) / 0.15
                let value = Self.bilinear(face, x: (u + radius) * scale - 0.5, y: (v + radius) * scale - 0.5)
                let index = y * width + x
                pixels[index] = UInt8(min(max((alpha * value + (1 - alpha) * Double(pixels[index])).rounded(), 0), 255))
            }
        }
    }

    private mutating func occlude(_ pixels: inout [UInt8], width: Int, centerX: Double, centerY: Double, side: Double,
                                  kind: Occlusion) {
        let left = centerX - side / 2, top = centerY - side / 2
        let rect: (Double, Double, Double, Double) = kind == .lower
            ? (left + 0.15 * side, top + 0.62 * side, 0.7 * side, 0.38 * side)
            : (Bool.random(using: &random) ? left : left + 0.62 * side, top + 0.1 * side, 0.38 * side, 0.8 * side)
        let tone = Double.random(in: 120...190, using: &random)
        let height = pixels.count / width
        for y in max(0, Int(rect.1))..<min(height, Int(rect.1 + rect.3)) {
            for x in max(0, Int(rect.0))..<min(width, Int(rect.0 + rect.2)) {
                pixels[y * width + x] = UInt8(min(max(tone + Double(Int.random(in: -6...6, using: &random)), 0), 255))
            }
        }
    }

    /// Bilinear sample with edge pixels repeated.
    static func bilinear(_ image: GrayImage, x: Double, y: Double) -> Double {
        let fx = x.rounded(.down), fy = y.rounded(.down)
        let wx = x - fx, wy = y - fy
        func at(_ px: Int, _ py: Int) -> Double {
            Double(image[min(max(px, 0), image.width - 1), min(max(py, 0), image.height - 1)])
        }
        let ix = Int(fx), iy = Int(fy)
        let top = at(ix, iy) * (1 - wx) + at(ix + 1, iy) * wx
        let bottom = at(ix, iy + 1) * (1 - wx) + at(ix + 1, iy + 1) * wx
        return top * (1 - wy) + bottom * wy
    }
}
