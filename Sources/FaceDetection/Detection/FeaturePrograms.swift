/// The sum of an integral-image rectangle from its four corner offsets: p[a] - p[b] - p[c] + p[d]
/// (wrapping, like OpenCV's `CALC_SUM_OFS_` on `int`).
@inline(__always)
func cornerSum(_ p: UnsafePointer<Int32>, _ a: Int32, _ b: Int32, _ c: Int32, _ d: Int32) -> Int32 {
    p[Int(a)] &- p[Int(b)] &- p[Int(c)] &+ p[Int(d)]
}

/// A Haar-like feature compiled for one integral-image stride: the corner offsets of its (up to three)
/// rectangles relative to a window's top-left integral element, and their weights. Mirrors OpenCV's
/// `HaarEvaluator::OptFeature`.
struct HaarFeatureProgram {
    var a0: Int32, b0: Int32, c0: Int32, d0: Int32
    var a1: Int32, b1: Int32, c1: Int32, d1: Int32
    var a2: Int32, b2: Int32, c2: Int32, d2: Int32
    var w0: Float, w1: Float, w2: Float

    /// `tiltedPlane` is the offset of the tilted integral image from the upright one.
    init(_ feature: HaarGeometry, stride: Int, tiltedPlane: Int) {
        func corners(_ r: HaarGeometry.Rect) -> (Int32, Int32, Int32, Int32) {
            let (x, y, w, h) = (Int(r.x), Int(r.y), Int(r.width), Int(r.height))
            if feature.tilted {
                return (Int32(tiltedPlane + x + stride * y), Int32(tiltedPlane + x - h + stride * (y + h)),
                        Int32(tiltedPlane + x + w + stride * (y + w)),
                        Int32(tiltedPlane + x + w - h + stride * (y + w + h)))
            }
            return (Int32(x + stride * y), Int32(x + w + stride * y), Int32(x + stride * (y + h)),
                    Int32(x + w + stride * (y + h)))
        }
        // Unused rectangles have zero weight and zero offsets, so they add exactly 0 (as in OpenCV).
        (a0, b0, c0, d0) = corners(feature.r0)
        (a1, b1, c1, d1) = feature.r1.weight != 0 ? corners(feature.r1) : (0, 0, 0, 0)
        (a2, b2, c2, d2) = feature.r2.weight != 0 ? corners(feature.r2) : (0, 0, 0, 0)
        (w0, w1, w2) = (feature.r0.weight, feature.r1.weight, feature.r2.weight)
    }

    /// The raw feature value at the window whose top-left integral element `p` points at, computed in
    /// `float` in OpenCV's order.
    @inline(__always)
    func value(_ p: UnsafePointer<Int32>) -> Float {
        var v = w0 * Float(cornerSum(p, a0, b0, c0, d0)) + w1 * Float(cornerSum(p, a1, b1, c1, d1))
        if w2 != 0 { v += w2 * Float(cornerSum(p, a2, b2, c2, d2)) }
        return v
    }
}

/// A multi-block LBP feature compiled for one stride: the 16 corners of its 3×3 block grid (row-major,
/// `pRC` is grid corner row R, column C). Mirrors OpenCV's `LBPEvaluator::OptFeature`.
struct LBPFeatureProgram {
    var p00: Int32, p01: Int32, p02: Int32, p03: Int32
    var p10: Int32, p11: Int32, p12: Int32, p13: Int32
    var p20: Int32, p21: Int32, p22: Int32, p23: Int32
    var p30: Int32, p31: Int32, p32: Int32, p33: Int32

    init(_ feature: LBPGeometry, stride: Int) {
        func corner(_ row: Int, _ column: Int) -> Int32 {
            Int32(Int(feature.x) + column * Int(feature.width) + stride * (Int(feature.y) + row * Int(feature.height)))
        }
        (p00, p01, p02, p03) = (corner(0, 0), corner(0, 1), corner(0, 2), corner(0, 3))
        (p10, p11, p12, p13) = (corner(1, 0), corner(1, 1), corner(1, 2), corner(1, 3))
        (p20, p21, p22, p23) = (corner(2, 0), corner(2, 1), corner(2, 2), corner(2, 3))
        (p30, p31, p32, p33) = (corner(3, 0), corner(3, 1), corner(3, 2), corner(3, 3))
    }

    /// The 8-bit LBP code: one bit per outer block whose sum is at least the centre block's, clockwise
    /// from the top-left block at bit 7.
    @inline(__always)
    func code(_ p: UnsafePointer<Int32>) -> Int {
        let v00 = p[Int(p00)], v01 = p[Int(p01)], v02 = p[Int(p02)], v03 = p[Int(p03)]
        let v10 = p[Int(p10)], v11 = p[Int(p11)], v12 = p[Int(p12)], v13 = p[Int(p13)]
        let v20 = p[Int(p20)], v21 = p[Int(p21)], v22 = p[Int(p22)], v23 = p[Int(p23)]
        let v30 = p[Int(p30)], v31 = p[Int(p31)], v32 = p[Int(p32)], v33 = p[Int(p33)]
        @inline(__always) func block(_ a: Int32, _ b: Int32, _ c: Int32, _ d: Int32) -> Int32 { a &- b &- c &+ d }
        let centre = block(v11, v12, v21, v22)
        var code = block(v00, v01, v10, v11) >= centre ? 128 : 0
        code |= block(v01, v02, v11, v12) >= centre ? 64 : 0
        code |= block(v02, v03, v12, v13) >= centre ? 32 : 0
        code |= block(v12, v13, v22, v23) >= centre ? 16 : 0
        code |= block(v22, v23, v32, v33) >= centre ? 8 : 0
        code |= block(v21, v22, v31, v32) >= centre ? 4 : 0
        code |= block(v20, v21, v30, v31) >= centre ? 2 : 0
        code |= block(v10, v11, v20, v21) >= centre ? 1 : 0
        return code
    }
}

/// A Haar stump with its feature inlined, so a stage reads one contiguous record per weak classifier.
struct HaarStumpProgram {
    var feature: HaarFeatureProgram
    var threshold: Float
    var left: Float
    var right: Float
}

/// An LBP stump with its feature inlined; its 256-bit category set lives in a separate word table.
struct LBPStumpProgram {
    var feature: LBPFeatureProgram
    var left: Float
    var right: Float
}

/// A node of a general (deeper than one split) weak tree.
struct TreeNodeProgram {
    var feature: Int32
    var threshold: Float
    var left: Int32
    var right: Int32
}
