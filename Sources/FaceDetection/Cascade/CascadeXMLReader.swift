/// Turns the XML of an OpenCV cascade into a validated `Cascade`, with the same reading rules as
/// OpenCV 4's `CascadeClassifierImpl::Data::read` plus checks OpenCV leaves out (feature geometry inside
/// the window, node and leaf indices, feature indices in range), so a bad file fails at load time with one
/// clear line instead of misbehaving during detection.
struct CascadeXMLReader {
    let source: String

    func read(_ bytes: [UInt8]) throws -> Cascade {
        let root: XMLElementNode
        do {
            root = try XMLTreeParser.parse(bytes)
        } catch let error as XMLSyntaxError {
            throw CascadeError(.malformedXML, source: source,
                               problem: "malformed XML at line \(error.line): \(error.message)")
        }
        guard root.name == "opencv_storage" else {
            throw notACascade("root element is <\(root.name)>, expected <opencv_storage>")
        }
        guard let cascade = root.children.first else { throw notACascade("<opencv_storage> is empty") }
        guard let stageTypeNode = cascade.child("stageType") else {
            if cascade.attributes["type_id"] == "opencv-haar-classifier" {
                throw notACascade("old-format Haar cascade (type_id opencv-haar-classifier) is not supported; "
                                  + "use a cascade in the new format (opencv_traincascade)")
            }
            throw notACascade("<\(cascade.name)> is not a cascade classifier (no <stageType>)")
        }
        let stageType = stageTypeNode.text.trimmingXMLSpace
        guard stageType == "BOOST" else { throw notACascade("stageType '\(stageType)' is not supported (only BOOST)") }

        let featureTypeText = try requiredChild(cascade, "featureType").text.trimmingXMLSpace
        guard let featureType = Cascade.FeatureType(rawValue: featureTypeText) else {
            throw notACascade("featureType '\(featureTypeText)' is not supported (HAAR or LBP)")
        }
        let width = try integer(requiredChild(cascade, "width"))
        let height = try integer(requiredChild(cascade, "height"))
        guard width > 0, height > 0, width <= 4096, height <= 4096 else {
            throw invalid("window size \(width)x\(height) is not positive")
        }
        let featureParams = try requiredChild(cascade, "featureParams")
        let categoryCount = try featureParams.child("maxCatCount").map(integer) ?? 0
        switch featureType {
        case .haar where categoryCount != 0:
            throw invalid("a HAAR cascade must have maxCatCount 0, found \(categoryCount)")
        case .lbp where categoryCount != 256:
            throw invalid("an LBP cascade must have maxCatCount 256, found \(categoryCount)")
        default: break
        }

        let featuresNode = try requiredChild(cascade, "features")
        guard !featuresNode.children.isEmpty else { throw invalid("<features> is empty") }
        var haarFeatures: [Cascade.HaarFeature] = []
        var lbpFeatures: [Cascade.LBPFeature] = []
        for (index, node) in featuresNode.children.enumerated() {
            switch featureType {
            case .haar: haarFeatures.append(try haarFeature(node, index: index, width: width, height: height))
            case .lbp: lbpFeatures.append(try lbpFeature(node, index: index, width: width, height: height))
            }
        }
        let featureCount = max(haarFeatures.count, lbpFeatures.count)

        let stagesNode = try requiredChild(cascade, "stages")
        guard !stagesNode.children.isEmpty else { throw invalid("<stages> is empty") }
        let subsetWords = (categoryCount + 31) / 32
        var stages: [Cascade.Stage] = []
        for (stageIndex, stageNode) in stagesNode.children.enumerated() {
            let where_ = "stage \(stageIndex)"
            let threshold = try real(requiredChild(stageNode, "stageThreshold", in: where_), where_)
            let weakNodes = stageNode.child("weakClassifiers")?.children ?? []
            guard !weakNodes.isEmpty else { throw invalid("\(where_) has no weak classifiers") }
            var trees: [Cascade.Tree] = []
            for (treeIndex, weakNode) in weakNodes.enumerated() {
                trees.append(try tree(weakNode, at: "\(where_), weak classifier \(treeIndex)",
                                      subsetWords: subsetWords, featureCount: featureCount))
            }
            stages.append(Cascade.Stage(threshold: threshold, trees: trees))
        }
        return Cascade(featureType: featureType, windowWidth: width, windowHeight: height,
                       categoryCount: categoryCount, stages: stages,
                       haarFeatures: haarFeatures, lbpFeatures: lbpFeatures)
    }

    // MARK: - Parts

    private func tree(_ node: XMLElementNode, at where_: String, subsetWords: Int,
                      featureCount: Int) throws -> Cascade.Tree {
        let internalTokens = try requiredChild(node, "internalNodes", in: where_).tokens
        let leafTokens = try requiredChild(node, "leafValues", in: where_).tokens
        let nodeStep = 3 + (subsetWords > 0 ? subsetWords : 1)
        guard !internalTokens.isEmpty, internalTokens.count % nodeStep == 0 else {
            throw invalid("\(where_): internalNodes holds \(internalTokens.count) numbers, "
                          + "expected a positive multiple of \(nodeStep)")
        }
        let nodeCount = internalTokens.count / nodeStep
        guard leafTokens.count == nodeCount + 1 else {
            throw invalid("\(where_): \(leafTokens.count) leaf values for \(nodeCount) nodes, expected \(nodeCount + 1)")
        }
        let leaves = try leafTokens.map { try real($0, where_) }
        var nodes: [Cascade.Node] = []
        for n in 0..<nodeCount {
            let t = internalTokens[(n * nodeStep)..<((n + 1) * nodeStep)]
            let base = t.startIndex
            let left = try integer(t[base], where_)
            let right = try integer(t[base + 1], where_)
            let featureIndex = try integer(t[base + 2], where_)
            guard (0..<featureCount).contains(featureIndex) else {
                throw invalid("\(where_): feature index \(featureIndex) is out of range (\(featureCount) features)")
            }
            for child in [left, right] {
                if child > 0 {
                    guard child > n, child < nodeCount else {
                        throw invalid("\(where_): node \(n) points to node \(child) (\(nodeCount) nodes)")
                    }
                } else if -child >= leaves.count {
                    throw invalid("\(where_): node \(n) points to leaf \(-child) (\(leaves.count) leaves)")
                }
            }
            var threshold: Float = 0
            var categories: [Int32] = []
            if subsetWords > 0 {
                categories = try t[(base + 3)...].map { token in
                    let value = try integer(token, where_)
                    guard value >= Int(Int32.min), value <= Int(UInt32.max) else {
                        throw invalid("\(where_): category word \(value) does not fit 32 bits")
                    }
                    return Int32(truncatingIfNeeded: value)
                }
            } else {
                threshold = try real(t[base + 3], where_)
            }
            nodes.append(Cascade.Node(left: left, right: right, featureIndex: featureIndex,
                                      threshold: threshold, categories: categories))
        }
        return Cascade.Tree(nodes: nodes, leaves: leaves)
    }

    private func haarFeature(_ node: XMLElementNode, index: Int, width: Int, height: Int) throws -> Cascade.HaarFeature {
        let where_ = "feature \(index)"
        let rectNodes = try requiredChild(node, "rects", in: where_).children
        guard (1...3).contains(rectNodes.count) else {
            throw invalid("\(where_) has \(rectNodes.count) rectangles, expected 1 to 3")
        }
        let tilted = try node.child("tilted").map { try integer($0) != 0 } ?? false
        var rects: [Cascade.HaarRect] = []
        for rectNode in rectNodes {
            let t = rectNode.tokens
            guard t.count == 5 else {
                throw invalid("\(where_): a rectangle needs 5 numbers (x y width height weight), found \(t.count)")
            }
            let x = try integer(t[0], where_), y = try integer(t[1], where_)
            let w = try integer(t[2], where_), h = try integer(t[3], where_)
            let inside = tilted
                ? (x - h >= 0 && y >= 0 && w >= 0 && h >= 0 && x + w <= width && y + w + h <= height)
                : (x >= 0 && y >= 0 && w >= 0 && h >= 0 && x + w <= width && y + h <= height)
            guard inside else {
                throw invalid("\(where_): \(tilted ? "tilted " : "")rectangle \(x) \(y) \(w) \(h) lies outside the "
                              + "\(width)x\(height) window")
            }
            rects.append(Cascade.HaarRect(x: x, y: y, width: w, height: h, weight: try real(t[4], where_)))
        }
        return Cascade.HaarFeature(rects: rects, tilted: tilted)
    }

    private func lbpFeature(_ node: XMLElementNode, index: Int, width: Int, height: Int) throws -> Cascade.LBPFeature {
        let where_ = "feature \(index)"
        let t = try requiredChild(node, "rect", in: where_).tokens
        guard t.count == 4 else { throw invalid("\(where_): <rect> needs 4 numbers, found \(t.count)") }
        let x = try integer(t[0], where_), y = try integer(t[1], where_)
        let w = try integer(t[2], where_), h = try integer(t[3], where_)
        guard x >= 0, y >= 0, w > 0, h > 0, x + 3 * w <= width, y + 3 * h <= height else {
            throw invalid("\(where_): LBP block grid \(x) \(y) 3x\(w) 3x\(h) lies outside the \(width)x\(height) window")
        }
        return Cascade.LBPFeature(x: x, y: y, width: w, height: h)
    }

    // MARK: - Values

    private func requiredChild(_ node: XMLElementNode, _ name: String, in where_: String? = nil) throws -> XMLElementNode {
        guard let child = node.child(name) else {
            throw invalid("\(where_.map { "\($0): " } ?? "")missing <\(name)> (line \(node.line))")
        }
        return child
    }

    private func integer(_ node: XMLElementNode) throws -> Int {
        let tokens = node.tokens
        guard tokens.count == 1 else { throw invalid("<\(node.name)> on line \(node.line) must hold one integer") }
        return try integer(tokens[0], "<\(node.name)> on line \(node.line)")
    }

    private func integer(_ token: Substring, _ where_: String) throws -> Int {
        guard let value = Int(token) else { throw invalid("\(where_): '\(token)' is not an integer") }
        return value
    }

    /// OpenCV parses numbers as doubles and casts them to float; doing the same keeps thresholds bit-equal.
    private func real(_ node: XMLElementNode, _ where_: String) throws -> Float {
        let tokens = node.tokens
        guard tokens.count == 1 else { throw invalid("\(where_): <\(node.name)> must hold one number") }
        return try real(tokens[0], where_)
    }

    private func real(_ token: Substring, _ where_: String) throws -> Float {
        guard let value = Double(token), value.isFinite else { throw invalid("\(where_): '\(token)' is not a number") }
        return Float(value)
    }

    private func notACascade(_ problem: String) -> CascadeError {
        CascadeError(.notACascade, source: source, problem: problem)
    }

    private func invalid(_ problem: String) -> CascadeError {
        CascadeError(.invalidContent, source: source, problem: problem)
    }
}

extension String {
    /// The string without leading and trailing whitespace (CR LF included).
    var trimmingXMLSpace: String {
        guard let start = firstIndex(where: { !$0.isWhitespace }), let end = lastIndex(where: { !$0.isWhitespace }) else {
            return ""
        }
        return String(self[start...end])
    }
}
