1 superseded Install complete
2 superseded Upgrade complete
3 deployed Rollback to 1
