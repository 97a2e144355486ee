// Torch's CPU thread count is process-wide and the exact-resume tests compare weights bit for bit
// (a reduction split over another number of threads may round differently), so test classes run one
// at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
