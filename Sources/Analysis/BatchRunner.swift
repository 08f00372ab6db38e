import Foundation
import SessionStore

/// Analyses the files of a plan, `jobs` at a time, each on its own pair of threads, and reports what
/// happens as events (from the analysis threads, in the order things happen).
public final class BatchRunner: @unchecked Sendable {
    /// Something that happened to one file.
    public enum Event: Sendable {
        case started(file: String)
        case progress(AnalysisProgress)
        case finished(AnalysisSummary)
        /// The file could not be analysed; `message` is one line naming it.
        case failed(file: String, message: String)
        /// The analysis stopped on request; its run is marked interrupted.
        case interrupted(file: String)
    }

    /// How the batch went.
    public struct Outcome: Sendable {
        public let summaries: [AnalysisSummary]
        public let failures: Int
        /// Files whose analysis was stopped on request (their runs are marked interrupted).
        public let interrupted: Int
        /// Files of the plan, analysed or not.
        public let planned: Int
        /// Files never started because a stop was requested first.
        public var notStarted: Int { planned - summaries.count - failures - interrupted }
        /// Set when a stop was requested (some files may not have started).
        public let stopReason: CancellationToken.Reason?
    }

    private let analyzer: SessionAnalyzer
    private let store: SessionStore
    private let jobs: Int

    public init(analyzer: SessionAnalyzer, store: SessionStore, jobs: Int) {
        self.analyzer = analyzer
        self.store = store
        self.jobs = max(1, jobs)
    }

    /// Runs every item of `plan`; returns when all are done or, after a stop request, when the running
    /// ones have stopped (files not started yet are skipped).
    public func run(_ plan: AnalysisPlan, cancellation: CancellationToken,
                    events: @escaping @Sendable (Event) -> Void) -> Outcome {
        let state = State()
        let group = DispatchGroup()
        for _ in 0..<min(jobs, plan.items.count) {
            group.enter()
            let thread = Thread { [self] in
                defer { group.leave() }
                while !cancellation.isCancelled, let index = state.takeIndex(below: plan.items.count) {
                    analyze(plan.items[index], state: state, cancellation: cancellation, events: events)
                }
            }
            thread.name = "EmoteLab analysis"
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return Outcome(summaries: state.summaries, failures: state.failures, interrupted: state.interrupted,
                       planned: plan.items.count, stopReason: cancellation.reason)
    }

    private func analyze(_ item: AnalysisPlan.Item, state: State, cancellation: CancellationToken,
                         events: @escaping @Sendable (Event) -> Void) {
        events(.started(file: item.path))
        do {
            let summary = try analyzer.analyze(item.path, tasks: item.tasks, tasksFoundBeside: item.companionTasksFile,
                                               contentHash: item.contentHash,
                                               hashSeconds: item.hashSeconds, store: store,
                                               cancellation: cancellation) { events(.progress($0)) }
            state.add(summary)
            events(.finished(summary))
        } catch is AnalysisInterrupted {
            state.addInterrupted()
            events(.interrupted(file: item.path))
        } catch {
            state.addFailure()
            events(.failed(file: item.path, message: "\(error)"))
        }
    }

    /// What the job threads share: the next item and the results so far.
    private final class State: @unchecked Sendable {
        private let lock = NSLock()
        private var nextIndex = 0
        private(set) var summaries: [AnalysisSummary] = []
        private(set) var failures = 0
        private(set) var interrupted = 0

        func takeIndex(below count: Int) -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard nextIndex < count else { return nil }
            nextIndex += 1
            return nextIndex - 1
        }

        func add(_ summary: AnalysisSummary) {
            lock.lock()
            summaries.append(summary)
            lock.unlock()
        }

        func addFailure() {
            lock.lock()
            failures += 1
            lock.unlock()
        }

        func addInterrupted() {
            lock.lock()
            interrupted += 1
            lock.unlock()
        }
    }
}
