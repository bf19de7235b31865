//! Compiles the protocol definitions in proto/ with protox, a pure-Rust
//! protobuf compiler, so no machine ever needs `protoc`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files = ["proto/tfplugin6.proto", "proto/plugin.proto"];
    for file in files {
        println!("cargo:rerun-if-changed={file}");
    }
    let descriptors = protox::compile(files, ["proto"])?;
    tonic_prost_build::configure()
        .build_client(true) // the protocol tests drive the server as Terraform does
        .build_server(true)
        .compile_fds(descriptors)?;
    Ok(())
}
