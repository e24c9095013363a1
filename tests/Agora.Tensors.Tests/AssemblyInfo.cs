// Some tests lower the instruction-set level for the whole process (Isa.Force), so kernels must not run concurrently.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
