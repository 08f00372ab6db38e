/// A cascade laid out for fast evaluation at one integral-image stride: flat tables of stumps (or tree
/// nodes) whose feature corners are offsets from a window's top-left integral element. Built once per
/// detection call (it only depends on the stride), shared read-only by all worker threads.
final class CompiledCascade: @unchecked Sendable {
    enum Layout { case haarStumps, haarTrees, lbpStumps, lbpTrees }

    let layout: Layout
    let stride: Int
    let stageCount: Int
    /// Weak classifiers per stage.
    let stageSizes: UnsafeMutableBufferPointer<Int32>
    /// OpenCV compares stage sums (double) with `float(threshold) - 1e-5f`.
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
    init(_ cascade: Cascade, stride: Int, tiltedPlane: Int) {
        self.stride = stride
        stageCount = cascade.stages.count
        stageSizes = .copy(cascade.stages.map { Int32($0.trees.count) })
        stageThresholds = .copy(cascade.stages.map { Double($0.threshold - Float(1e-5)) })
        let stumps = cascade.isStumpBased
        let trees = cascade.stages.flatMap(\.trees)
        categoryWordCount = (cascade.categoryCount + 31) / 32

        switch (cascade.featureType, stumps) {
        case (.haar, true): layout = .haarStumps
        case (.haar, false): layout = .haarTrees
        case (.lbp, true): layout = .lbpStumps
        case (.lbp, false): layout = .lbpTrees
        }

        let haar = cascade.haarFeatures.map { HaarFeatureProgram($0, stride: stride, tiltedPlane: tiltedPlane) }
        let lbp = cascade.lbpFeatures.map { LBPFeatureProgram($0, stride: stride) }
        switch layout {
        case .haarStumps:
            haarStumps = .copy(trees.map { tree in
                let node = tree.nodes[0]
                return HaarStumpProgram(feature: haar[node.featureIndex], threshold: node.threshold,
                                        left: tree.leaves[-node.left], right: tree.leaves[-node.right])
            })
            lbpStumps = .copy([])
        case .lbpStumps:
            lbpStumps = .copy(trees.map { tree in
                let node = tree.nodes[0]
                return LBPStumpProgram(feature: lbp[node.featureIndex],
                                       left: tree.leaves[-node.left], right: tree.leaves[-node.right])
            })
            haarStumps = .copy([])
        case .haarTrees, .lbpTrees:
            haarStumps = .copy([])
            lbpStumps = .copy([])
        }
        if stumps {
            categoryWords = .copy(trees.flatMap { $0.nodes[0].categories.map { UInt32(bitPattern: $0) } })
            haarFeatures = .copy([])
            lbpFeatures = .copy([])
            nodes = .copy([])
            treeSizes = .copy([])
            leaves = .copy([])
        } else {
            categoryWords = .copy(trees.flatMap { $0.nodes.flatMap { $0.categories.map { UInt32(bitPattern: $0) } } })
            haarFeatures = .copy(haar)
            lbpFeatures = .copy(lbp)
            nodes = .copy(trees.flatMap { $0.nodes.map {
                TreeNodeProgram(feature: Int32($0.featureIndex), threshold: $0.threshold,
                                left: Int32($0.left), right: Int32($0.right))
            } })
            treeSizes = .copy(trees.map { Int32($0.nodes.count) })
            leaves = .copy(trees.flatMap(\.leaves))
        }

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
