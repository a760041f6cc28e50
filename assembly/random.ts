// random kernels (see bindings/abi.ts for the ABI).
