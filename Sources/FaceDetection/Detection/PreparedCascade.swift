/// A Haar-like feature as plain values (no arrays), ready to compile for any stride.
struct HaarGeometry {
    struct Rect {
        var x: Int32 = 0, y: Int32 = 0, width: Int32 = 0, height: Int32 = 0
        var weight: Float = 0
    }
    var r0 = Rect(), r1 = Rect(), r2 = Rect()
    var tilted = false

    init(_ feature: Cascade.HaarFeature) {
        let rects = feature.rects.map {
            Rect(x: Int32($0.x), y: Int32($0.y), width: Int32($0.width), height: Int32($0.height), weight: $0.weight)
        }
        if rects.count > 0 { r0 = rects[0] }
        if rects.count > 1 { r1 = rects[1] }
        if rects.count > 2 { r2 = rects[2] }
        tilted = feature.tilted
    }
}

/// An LBP feature's block grid as plain values.
struct LBPGeometry {
    var x: Int32, y: Int32, width: Int32, height: Int32

    init(_ feature: Cascade.LBPFeature) {
        (x, y, width, height) = (Int32(feature.x), Int32(feature.y), Int32(feature.width), Int32(feature.height))
    }
}

/// The stride-independent part of a compiled cascade, flattened once per detector so that compiling
/// for a new stride (every frame size or search region) is a few tight loops.
struct PreparedCascade {
    enum Layout { case haarStumps, haarTrees, lbpStumps, lbpTrees }

    let layout: Layout
    let featureType: Cascade.FeatureType
    let hasTiltedFeatures: Bool
    let windowWidth: Int
    let windowHeight: Int
    /// Weak classifiers per stage.
    let stageSizes: [Int32]
    /// OpenCV compares stage sums (double) with `float(threshold) - 1e-5f`.
    let stageThresholds: [Double]
    let haarFeatures: [HaarGeometry]
    let lbpFeatures: [LBPGeometry]
    /// Every internal node of every tree, in order (for stumps: one node per weak classifier).
    let nodes: [TreeNodeProgram]
    /// Nodes per tree.
    let treeSizes: [Int32]
    /// Every leaf of every tree, in order (node count + 1 per tree).
    let leaves: [Float]
    /// Category bit sets, `categoryWordCount` words per node, in node order (LBP).
    let categoryWords: [UInt32]
    let categoryWordCount: Int

    init(_ cascade: Cascade) {
        featureType = cascade.featureType
        hasTiltedFeatures = cascade.hasTiltedFeatures
        windowWidth = cascade.windowWidth
        windowHeight = cascade.windowHeight
        switch (cascade.featureType, cascade.isStumpBased) {
        case (.haar, true): layout = .haarStumps
        case (.haar, false): layout = .haarTrees
        case (.lbp, true): layout = .lbpStumps
        case (.lbp, false): layout = .lbpTrees
        }
        stageSizes = cascade.stages.map { Int32($0.trees.count) }
        stageThresholds = cascade.stages.map { Double($0.threshold - Float(1e-5)) }
        haarFeatures = cascade.haarFeatures.map(HaarGeometry.init)
        lbpFeatures = cascade.lbpFeatures.map(LBPGeometry.init)
        let trees = cascade.stages.flatMap(\.trees)
        nodes = trees.flatMap { tree in
            tree.nodes.map {
                TreeNodeProgram(feature: Int32($0.featureIndex), threshold: $0.threshold,
                                left: Int32($0.left), right: Int32($0.right))
            }
        }
        treeSizes = trees.map { Int32($0.nodes.count) }
        leaves = trees.flatMap(\.leaves)
        categoryWordCount = (cascade.categoryCount + 31) / 32
        categoryWords = trees.flatMap { $0.nodes.flatMap { $0.categories.map { UInt32(bitPattern: $0) } } }
    }
}
