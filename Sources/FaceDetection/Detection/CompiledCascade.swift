/// A cascade laid out for fast evaluation at one integral-image stride: flat tables of stumps (or tree
/// nodes) whose feature corners are offsets from a window's top-left integral element. Compiled from a
/// `PreparedCascade` whenever the stride changes (a new frame or region width), shared read-only by all
/// worker threads of a call.
final class CompiledCascade: @unchecked Sendable {
    let layout: PreparedCascade.Layout
    let stride: Int
    let tiltedPlane: Int
    let stageCount: Int
    let stageSizes: UnsafeMutableBufferPointer<Int32>
    let stageThresholds: UnsafeMutableBufferPointer<Double>

    let haarStumps: UnsafeMutableBufferPointer<HaarStumpProgram>
    let lbpStumps: UnsafeMutableBufferPointer<LBPStumpProgram>
    /// Category bit sets: `categoryWordCount` words per LBP stump (stump layout) or tree node (tree layout).
    let categoryWords: UnsafeMutableBufferPointer<UInt32>
    let categoryWordCount: Int

    let haarFeatures: UnsafeMutableBufferPointer<HaarFeatureProgram>
    let lbpFeatures: UnsafeMutableBufferPointer<LBPFeatureProgram>
    let nodes: UnsafeMutableBufferPointer<TreeNodeProgram>
    let treeSizes: UnsafeMutableBufferPointer<Int32>
    let leaves: UnsafeMutableBufferPointer<Float>

    /// Haar variance normalisation: corners of the window minus a 1-pixel border, and its area.
    let normCorners: (Int32, Int32, Int32, Int32)
    let normArea: Double

    /// `tiltedPlane`: offset of the tilted integral image from the upright one (Haar with tilted features).
    init(_ cascade: PreparedCascade, stride: Int, tiltedPlane: Int) {
        layout = cascade.layout
        self.stride = stride
        self.tiltedPlane = tiltedPlane
        stageCount = cascade.stageSizes.count
        stageSizes = .copy(cascade.stageSizes)
        stageThresholds = .copy(cascade.stageThresholds)
        categoryWords = .copy(cascade.categoryWords)
        categoryWordCount = cascade.categoryWordCount
        nodes = .copy(cascade.nodes)
        treeSizes = .copy(cascade.treeSizes)
        leaves = .copy(cascade.leaves)

        let haar = UnsafeMutableBufferPointer<HaarFeatureProgram>.allocate(capacity: max(cascade.haarFeatures.count, 1))
        for (i, feature) in cascade.haarFeatures.enumerated() {
            (haar.baseAddress! + i).initialize(to: HaarFeatureProgram(feature, stride: stride, tiltedPlane: tiltedPlane))
        }
        let lbp = UnsafeMutableBufferPointer<LBPFeatureProgram>.allocate(capacity: max(cascade.lbpFeatures.count, 1))
        for (i, feature) in cascade.lbpFeatures.enumerated() {
            (lbp.baseAddress! + i).initialize(to: LBPFeatureProgram(feature, stride: stride))
        }
        // Stumps inline their feature: leaves 2k and 2k + 1 belong to stump k.
        let stumpCount = layout == .haarStumps || layout == .lbpStumps ? cascade.nodes.count : 0
        haarStumps = .allocate(capacity: max(layout == .haarStumps ? stumpCount : 0, 1))
        lbpStumps = .allocate(capacity: max(layout == .lbpStumps ? stumpCount : 0, 1))
        for (k, node) in cascade.nodes.enumerated() where stumpCount > 0 {
            let left = cascade.leaves[2 * k - Int(node.left)], right = cascade.leaves[2 * k - Int(node.right)]
            if layout == .haarStumps {
                (haarStumps.baseAddress! + k).initialize(to: HaarStumpProgram(
                    feature: haar[Int(node.feature)], threshold: node.threshold, left: left, right: right))
            } else {
                (lbpStumps.baseAddress! + k).initialize(to: LBPStumpProgram(
                    feature: lbp[Int(node.feature)], left: left, right: right))
            }
        }
        haarFeatures = haar
        lbpFeatures = lbp

        let w = cascade.windowWidth, h = cascade.windowHeight
        normCorners = (Int32(1 + stride), Int32(w - 1 + stride), Int32(1 + stride * (h - 1)),
                       Int32(w - 1 + stride * (h - 1)))
        normArea = Double((w - 2) * (h - 2))
    }

    /// Borrowed pointers to the tables, valid while this object lives.
    var tables: CascadeTables {
        CascadeTables(stageCount: stageCount, stageSizes: UnsafePointer(stageSizes.baseAddress!),
                      stageThresholds: UnsafePointer(stageThresholds.baseAddress!),
                      haarStumps: UnsafePointer(haarStumps.baseAddress!), lbpStumps: UnsafePointer(lbpStumps.baseAddress!),
                      categoryWords: UnsafePointer(categoryWords.baseAddress!), categoryWordCount: categoryWordCount,
                      haarFeatures: UnsafePointer(haarFeatures.baseAddress!),
                      lbpFeatures: UnsafePointer(lbpFeatures.baseAddress!), nodes: UnsafePointer(nodes.baseAddress!),
                      treeSizes: UnsafePointer(treeSizes.baseAddress!), leaves: UnsafePointer(leaves.baseAddress!),
                      normCorners: normCorners, normArea: normArea)
    }

    deinit {
        stageSizes.deallocate()
        stageThresholds.deallocate()
        haarStumps.deallocate()
        lbpStumps.deallocate()
        categoryWords.deallocate()
        haarFeatures.deallocate()
        lbpFeatures.deallocate()
        nodes.deallocate()
        treeSizes.deallocate()
        leaves.deallocate()
    }
}

extension UnsafeMutableBufferPointer {
    /// A freshly allocated copy of `elements` (the caller deallocates it).
    static func copy(_ elements: [Element]) -> UnsafeMutableBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: Swift.max(elements.count, 1))
        _ = buffer.initialize(from: elements)
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<elements.count])
    }
}

/// Read-only pointers into a `CompiledCascade`'s tables, for the per-window loops.
struct CascadeTables {
    let stageCount: Int
    let stageSizes: UnsafePointer<Int32>
    let stageThresholds: UnsafePointer<Double>
    let haarStumps: UnsafePointer<HaarStumpProgram>
    let lbpStumps: UnsafePointer<LBPStumpProgram>
    let categoryWords: UnsafePointer<UInt32>
    let categoryWordCount: Int
    let haarFeatures: UnsafePointer<HaarFeatureProgram>
    let lbpFeatures: UnsafePointer<LBPFeatureProgram>
    let nodes: UnsafePointer<TreeNodeProgram>
    let treeSizes: UnsafePointer<Int32>
    let leaves: UnsafePointer<Float>
    let normCorners: (Int32, Int32, Int32, Int32)
    let normArea: Double
}
