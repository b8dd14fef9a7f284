//! Frames on the service's socket: a 4-byte big-endian length, then that many bytes of JSON.
//! A frame over the reader's limit is refused before its body is read.

use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The largest frame the service takes from a client (a request is small).
pub const MAX_REQUEST: u32 = 1 << 20;
/// The largest frame a client takes from the service (`orders` of a large store).
pub const MAX_REPLY: u32 = 1 << 30;

/// Why a frame could not be read; each ends its connection.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// The other side closed the connection between frames.
    #[error("the connection was closed")]
    Closed,
    #[error("a frame of {size} bytes is over the limit of {limit}")]
    TooLarge { size: u32, limit: u32 },
    #[error("a frame that is not a message of the protocol: {0}")]
    Malformed(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Reads one frame and decodes it.
pub async fn read<T: DeserializeOwned>(
    r: &mut (impl AsyncRead + Unpin),
    limit: u32,
) -> Result<T, FrameError> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len).await {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Err(FrameError::Closed),
        Err(e) => return Err(e.into()),
    }
    let size = u32::from_be_bytes(len);
    if size > limit {
        return Err(FrameError::TooLarge { size, limit });
    }
    let mut body = vec![0u8; size as usize];
    r.read_exact(&mut body).await?;
    serde_json::from_slice(&body).map_err(|e| FrameError::Malformed(e.to_string()))
}

/// Encodes one message as a frame.
pub fn encode<T: Serialize>(msg: &T) -> Result<Vec<u8>, FrameError> {
    let body = serde_json::to_vec(msg).map_err(|e| FrameError::Malformed(e.to_string()))?;
    let size = u32::try_from(body.len()).map_err(|_| FrameError::TooLarge {
        size: u32::MAX,
        limit: MAX_REPLY,
    })?;
    let mut out = Vec::with_capacity(body.len() + 4);
    out.extend_from_slice(&size.to_be_bytes());
    out.extend_from_slice(&body);
    Ok(out)
}

/// Writes one message as a frame.
pub async fn write<T: Serialize>(
    w: &mut (impl AsyncWrite + Unpin),
    msg: &T,
) -> Result<(), FrameError> {
    w.write_all(&encode(msg)?).await?;
    Ok(w.flush().await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_frame_reads_back_and_an_oversized_one_is_refused_unread() {
        let mut buf = encode(&serde_json::json!({"a": 1})).expect("encodes");
        let mut r = &buf[..];
        let v: serde_json::Value = read(&mut r, 100).await.expect("reads");
        assert_eq!(v["a"], 1);
        buf[..4].copy_from_slice(&5000u32.to_be_bytes());
        let mut r = &buf[..];
        let e = read::<serde_json::Value>(&mut r, 100).await.unwrap_err();
        assert!(
            matches!(
                e,
                FrameError::TooLarge {
                    size: 5000,
                    limit: 100
                }
            ),
            "{e}"
        );
    }

    #[tokio::test]
    async fn bad_json_and_a_cut_frame_are_errors() {
        let mut bytes = 3u32.to_be_bytes().to_vec();
        bytes.extend_from_slice(b"{x}");
        let e = read::<serde_json::Value>(&mut &bytes[..], 100)
            .await
            .unwrap_err();
        assert!(matches!(e, FrameError::Malformed(_)), "{e}");
        let e = read::<serde_json::Value>(&mut &b""[..], 100)
            .await
            .unwrap_err();
        assert!(matches!(e, FrameError::Closed), "{e}");
        let e = read::<serde_json::Value>(&mut &bytes[..5], 100)
            .await
            .unwrap_err();
        assert!(matches!(e, FrameError::Io(_)), "{e}");
    }
}
