/// Follows an H.264 stream's reference pictures from its packets, in decode order, to tell whether a decoder
/// that drops every B picture and every non-reference picture (FFmpeg's `skip_frame = AVDISCARD_BIDIR`) still
/// decodes every other reference picture exactly as a full decode does.
///
/// That holds when the stream is *B-independent*: every entry of the active list 0 of every P/SP slice of
/// a non-B reference picture is a non-B picture — in the true decoded picture buffer (§8.2.4, §8.2.5) and
/// also in the one FFmpeg keeps while skipping, where the dropped reference B pictures are replaced by
/// invented frames filling the frame_num gap and their memory-management operations never run. Both
/// buffers are simulated; a list entry that differs between them makes the stream unsafe as well.
///
/// The analysis is conservative: field pictures, long-term references, memory_management_control_operation
/// 5, slice groups, data partitioning, redundant pictures, SVC/MVC units, frame_num gaps, streams not
/// starting with an IDR picture, a sequence parameter set changing outside an IDR picture, pictures split
/// over packets, and anything unparsable make the stream unsafe with a one-line `unsafeReason`.
struct H264ReferenceAnalyzer {
    /// Nil while the stream is B-independent so far; otherwise why not (one line).
    private(set) var unsafeReason: String?

    private var layout: H264PacketLayout = .annexB
    private var sequenceSets: [Int: H264SequenceParameterSet] = [:]
    private var pictureSets: [Int: H264PictureParameterSet] = [:]
    /// The SPS of the current coded video sequence (set by each IDR picture).
    private var activeSequenceSet: H264SequenceParameterSet?
    /// The reference frames of a full decode.
    private var references = H264ShortTermReferences()
    /// The reference frames FFmpeg holds when B and non-reference pictures are skipped.
    private var referencesWhenSkipping = H264ShortTermReferences()
    /// PrevRefFrameNum (§7.4.3).
    private var previousReferenceFrameNum = 0
    /// frame_num of the last picture a skipping decoder decodes (its `prev_frame_num`).
    private var previousDecodedFrameNum = 0
    /// Pictures seen, in decode order.
    private var pictureCount = 0

    /// `extradata`: the stream's codec extradata (an avcC record, Annex B parameter sets, or empty).
    init(extradata: [UInt8]) {
        do {
            let configuration = try H264DecoderConfiguration(extradata: extradata)
            layout = configuration.layout
            for unit in configuration.parameterSets {
                try unit.withUnsafeBytes { try addParameterSet($0) }
            }
        } catch {
            unsafeReason = Self.reason(error)
        }
    }

    /// Feeds one packet's bytes, in decode order. Returns the picture's facts, or nil when the packet holds
    /// no slice (parameter sets, SEI, …) or its NAL units cannot be found (then `unsafeReason` is set).
    mutating func add(packet: UnsafeRawBufferPointer) -> H264PictureFacts? {
        let slices: [UnsafeRawBufferPointer]
        let facts: H264PictureFacts
        do {
            var found: [UnsafeRawBufferPointer] = []
            for range in try layout.nalUnits(in: packet) {
                let unit = UnsafeRawBufferPointer(rebasing: packet[range])
                guard unit[0] & 0x80 == 0 else { throw H264StreamProblem("a NAL unit has its forbidden bit set") }
                switch unit[0] & 0x1F {
                case 1, 5: found.append(unit)
                case 7, 8: if unsafeReason == nil { try addParameterSet(unit) }
                case 2, 3, 4: throw H264StreamProblem("the stream uses data partitioning")
                case 14, 15, 20, 21: throw H264StreamProblem("the stream has scalable, multiview or 3D extension NAL units")
                case 19: throw H264StreamProblem("the stream has auxiliary coded pictures")
                default: continue
                }
            }
            guard !found.isEmpty else { return nil }
            var isReference = false, isBidirectional = false
            for unit in found {
                let sliceType = try H264SliceHeader.peek(nal: unit).sliceType
                if unit[0] & 0x60 != 0 { isReference = true }
                if sliceType == .b { isBidirectional = true }
            }
            slices = found
            facts = H264PictureFacts(isReference: isReference, isBidirectional: isBidirectional)
        } catch {
            markUnsafe(Self.reason(error))
            return nil
        }
        if unsafeReason == nil {
            do { try analysePicture(slices) } catch { markUnsafe(Self.reason(error)) }
        }
        pictureCount += 1
        return facts
    }

    private mutating func markUnsafe(_ reason: String) {
        if unsafeReason == nil { unsafeReason = reason }
    }

    private static func reason(_ error: Error) -> String {
        (error as? H264StreamProblem)?.reason ?? "\(error)"
    }

    /// Stores an SPS or PPS (NAL unit types 7 and 8).
    private mutating func addParameterSet(_ unit: UnsafeRawBufferPointer) throws {
        guard let first = unit.first else { return }
        switch first & 0x1F {
        case 7:
            let set = try H264SequenceParameterSet(nal: unit)
            sequenceSets[set.id] = set
        case 8:
            let set = try H264PictureParameterSet(nal: unit)
            pictureSets[set.id] = set
        default:
            return
        }
    }

    /// Checks one picture's slices and updates both simulated reference buffers.
    private mutating func analysePicture(_ slices: [UnsafeRawBufferPointer]) throws {
        let headers = try slices.map {
            try H264SliceHeader(nal: $0, sequenceSets: sequenceSets, pictureSets: pictureSets)
        }
        let first = headers[0]
        guard first.firstMacroblock == 0 else { throw H264StreamProblem("a picture starts in an earlier packet") }
        for (previous, slice) in zip(headers, headers.dropFirst()) {
            guard slice.firstMacroblock > previous.firstMacroblock else {
                throw H264StreamProblem("a packet holds more than one picture or slices out of order")
            }
            guard slice.frameNum == first.frameNum, slice.isIDR == first.isIDR,
                  (slice.nalRefIDC == 0) == (first.nalRefIDC == 0),
                  slice.pictureParameterSetID == first.pictureParameterSetID, slice.marking == first.marking else {
                throw H264StreamProblem("the slices of a picture disagree on frame_num, IDR, reference or marking")
            }
        }
        let isBidirectional = first.sliceType == .b
        guard headers.allSatisfy({ ($0.sliceType == .b) == isBidirectional }) else {
            throw H264StreamProblem("a picture mixes B slices with other slices")
        }
        let sequenceSet = sequenceSets[pictureSets[first.pictureParameterSetID]!.sequenceParameterSetID]!
        if first.isIDR {
            activeSequenceSet = sequenceSet
        } else if activeSequenceSet == nil {
            throw H264StreamProblem("the stream does not start with an IDR picture")
        } else if activeSequenceSet != sequenceSet {
            throw H264StreamProblem("the sequence parameter set changes outside an IDR picture")
        }
        guard !sequenceSet.gapsInFrameNumAllowed else {
            throw H264StreamProblem("the stream allows gaps in frame_num")
        }
        let maxFrameNum = sequenceSet.maxFrameNum
        let maxReferences = sequenceSet.maxNumRefFrames
        let frameNum = first.frameNum
        if first.isIDR {
            guard frameNum == 0 else { throw H264StreamProblem("an IDR picture has frame_num \(frameNum)") }
        } else if frameNum != (previousReferenceFrameNum + 1) % maxFrameNum {
            throw H264StreamProblem("frame_num gap (\(previousReferenceFrameNum) to \(frameNum))")
        }
        let isReference = first.nalRefIDC != 0
        let decodedWhenSkipping = isReference && !isBidirectional
        if decodedWhenSkipping && !first.isIDR {
            do {
                try referencesWhenSkipping.fillGap(after: previousDecodedFrameNum, before: frameNum,
                                                   maxFrameNum: maxFrameNum, maxReferences: maxReferences)
            } catch { throw Self.whenSkipping(error) }
        }
        if decodedWhenSkipping {
            for slice in headers where slice.sliceType.isPredictive {
                try checkList0(of: slice, maxFrameNum: maxFrameNum)
            }
        }
        guard isReference else { return }
        let entry = H264ShortTermReferences.Entry(frameNum: frameNum, picture: pictureCount,
                                                  isBidirectional: isBidirectional)
        try references.mark(entry, marking: first.marking, maxFrameNum: maxFrameNum, maxReferences: maxReferences)
        previousReferenceFrameNum = frameNum
        if decodedWhenSkipping {
            do {
                try referencesWhenSkipping.mark(entry, marking: first.marking, maxFrameNum: maxFrameNum,
                                                maxReferences: maxReferences)
            } catch { throw Self.whenSkipping(error) }
            previousDecodedFrameNum = frameNum
        }
    }

    /// The active list 0 of a P/SP slice must hold only non-B pictures, and the same ones when skipping.
    private func checkList0(of slice: H264SliceHeader, maxFrameNum: Int) throws {
        let list = try references.list0(currentFrameNum: slice.frameNum, modifications: slice.list0Modifications,
                                        activeCount: slice.activeReferencesL0, maxFrameNum: maxFrameNum)
        let listWhenSkipping: [H264ShortTermReferences.Entry]
        do {
            listWhenSkipping = try referencesWhenSkipping.list0(
                currentFrameNum: slice.frameNum, modifications: slice.list0Modifications,
                activeCount: slice.activeReferencesL0, maxFrameNum: maxFrameNum)
        } catch { throw Self.whenSkipping(error) }
        // A conforming slice only uses entries that exist, so positions past `list` do not matter.
        for (index, entry) in list.enumerated() {
            guard !entry.isBidirectional else {
                throw H264StreamProblem("a P picture (frame_num \(slice.frameNum)) references a B picture "
                                        + "(frame_num \(entry.frameNum))")
            }
            guard index < listWhenSkipping.count, listWhenSkipping[index] == entry else {
                throw H264StreamProblem("with B pictures skipped, the P picture with frame_num \(slice.frameNum) "
                                        + "would find another picture than frame_num \(entry.frameNum) at "
                                        + "reference index \(index)")
            }
        }
    }

    private static func whenSkipping(_ error: Error) -> H264StreamProblem {
        H264StreamProblem("with B pictures skipped, " + reason(error))
    }
}
